"""{{ amount|money:currency }}: every amount in its currency's usual local form."""

from django import template

from careers.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="USD"):
    """{{ figure.median|money:figure.currency }} -> $158,000"""
    return format_money(amount, currency)
