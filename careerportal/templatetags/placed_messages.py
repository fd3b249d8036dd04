"""Messages shown where the learner is: `{% messages_at "step-3" as here %}`.

An action that sends the learner back to a spot further down a page (a roadmap step's
progress form, the follow button) tags its message with that spot's id (`placed_message` in
careerportal/actions.py), and the page draws it there, so the confirmation is in view after
the reload, with JavaScript or without. Untagged messages show at the top as before; a tagged
one whose spot the page did not draw shows at the end of the page (`messages_left`) rather
than nowhere.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def messages_at(context, *parts) -> list:
    """The messages for the spot whose id is `parts` joined (the page's top when none),
    marked as shown."""
    place = "".join(str(part) for part in parts)
    found = [m for m in context.get("messages") or () if (m.extra_tags or "") == place]
    for message in found:
        message.shown = True
    return found


@register.simple_tag(takes_context=True)
def messages_left(context) -> list:
    """Messages for a spot this page did not draw."""
    return [m for m in context.get("messages") or () if not getattr(m, "shown", False)]
