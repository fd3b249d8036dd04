"""The chains of retired exams (Replacement rows), kept from the successors editors name."""

from django.db import connection, transaction

from certifications.models import Certification, Replacement


class Chains:
    """Every successor link and recorded Replacement, read once (two queries): a catalogue
    holds a few hundred retired exams at most, and only an editor's save reads them. The
    Replacement rows are kept in the order they were recorded, with their exam's status."""

    def __init__(self):
        self.down, self.up = {}, {}
        links = Certification.objects.filter(successor__isnull=False)
        links = list(links.values_list("pk", "successor_id", "successor__status"))
        self.recorded = list(
            Replacement.objects.order_by("pk").values_list("replaced_id", "exam_id", "exam__status")
        )
        # The status of every exam a link or a row leads to.
        self.status = {new: status for _old, new, status in links + self.recorded}
        for old, new, _status in links + self.recorded:
            self.down.setdefault(old, set()).add(new)
            self.up.setdefault(new, set()).add(old)

    @staticmethod
    def _reach(start, edges) -> set:
        seen, queue = set(), [start]
        while queue:
            for following in edges.get(queue.pop(), ()):
                if following not in seen:
                    seen.add(following)
                    queue.append(following)
        seen.discard(start)  # a loop two editors saved at once leads back: never its own
        return seen

    def replacing(self, pk) -> set:
        """The exams that replaced `pk`, directly or in turn."""
        return self._reach(pk, self.down)

    def replaced(self, pk) -> set:
        """The exams `pk` replaced, directly or in turn."""
        return self._reach(pk, self.up)


# One key for every save that records chains (pg_advisory_xact_lock's bigint: "chains").
CHAINS_LOCK = int.from_bytes(b"chains")


def wait_for_other_chain_saves() -> None:
    """Hold, until this transaction ends, the lock every chain save takes before it reads the
    chains: two editors retiring AZ-100 for AZ-103 and AZ-103 for AZ-104 at once each read
    the chains without the other's link, and neither recorded that AZ-104 replaced AZ-100.
    The admin's form takes it too before it checks a successor for loops, so that two
    editors naming each other's exam at once cannot both pass the check (a no-op outside a
    transaction). On SQLite a write transaction runs alone already (BEGIN IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAINS_LOCK])


def chain_of(certification_id) -> set:
    """The ids of the exams that replaced `certification_id`, directly or in turn: those its
    successors lead to and those the site recorded as its chain (two queries)."""
    return Chains().replacing(certification_id)


def chain_fields(recorded, ids) -> dict:
    """{id: (chain_ids, chain_exam_id)} for each of `ids`, from Replacement rows (replaced id,
    exam id, exam status) in the order they were recorded: what Certification keeps of its
    chain (the exams that replaced it; the first of those on offer, or None)."""
    fields = {pk: ([], None) for pk in ids}
    for old, new, status in recorded:
        if old in fields:
            chain, current = fields[old]
            chain.append(new)
            if current is None and status == Certification.Status.PUBLISHED:
                fields[old] = (chain, new)
    return fields


def keep_chain_fields(fields: dict) -> None:
    """Save `chain_fields()`' values on their certifications (one UPDATE)."""
    rows = [
        Certification(pk=pk, chain_ids=chain, chain_exam_id=current)
        for pk, (chain, current) in sorted(fields.items())
    ]
    Certification.objects.bulk_update(rows, ["chain_ids", "chain_exam"])


def refresh_chain_fields(ids) -> None:
    """Set `chain_ids` and `chain_exam` of the certifications `ids` from their Replacement
    rows as recorded (two queries): for rows written without an editor's save (loaddata)."""
    recorded = Replacement.objects.filter(replaced__in=ids).order_by("pk")
    recorded = recorded.values_list("replaced_id", "exam_id", "exam__status")
    keep_chain_fields(chain_fields(recorded, set(ids)))


@transaction.atomic
def successor_chain_record(*, certification, previous_successor_id) -> Certification:
    """Record what `certification`'s successor, as just saved, means for the chains: its
    successor and every exam that one leads to replaced it and every exam it replaced.
    Moving the successor on along the chain (to an exam the previous one leads to, as the
    admin advises once that one is retired too) keeps the exams moved past, so that their
    valid passes keep holding the steps; naming another exam (a correction), or none, drops
    them. Then keeps, on the certification and every exam it replaced, their chain's ids
    and the exam on offer it leads to (`chain_ids`, `chain_exam`), worked out from the rows
    read and written. Waits for another save recording chains to commit (PostgreSQL), two
    queries to read the chains, then at most a read and a delete, an insert, an update."""
    pk, successor_id = certification.pk, certification.successor_id
    wait_for_other_chain_saves()
    chains = Chains()
    upstream = {pk} | chains.replaced(pk)
    downstream = set()
    recorded = chains.recorded
    if previous_successor_id and previous_successor_id != successor_id:
        moved_past = {previous_successor_id} | chains.replacing(previous_successor_id)
        if successor_id in moved_past:
            downstream |= moved_past
        else:  # a correction: what the old successor led to never replaced this one
            dropped = {new for old, new, _status in recorded if old == pk}
            Replacement.objects.filter(replaced__in=upstream, exam__in=list(dropped)).delete()
            recorded = [r for r in recorded if not (r[0] in upstream and r[1] in dropped)]
    if successor_id is not None:
        downstream |= {successor_id} | chains.replacing(successor_id)
    added = [(old, new) for old in sorted(upstream) for new in sorted(downstream - upstream)]
    Replacement.objects.bulk_create(
        [Replacement(replaced_id=old, exam_id=new) for old, new in added], ignore_conflicts=True
    )
    # The rows added come last, in the order inserted; those already there keep their place.
    status = chains.status
    unknown = {new for _old, new in added} - status.keys()
    if unknown:  # an exam no link nor row led to (never, as the admin saves them)
        status |= dict(Certification.objects.filter(pk__in=unknown).values_list("pk", "status"))
    there = {(old, new) for old, new, _status in recorded}
    recorded += [(old, new, status[new]) for old, new in added if (old, new) not in there]
    keep_chain_fields(chain_fields(recorded, upstream))
    return certification


def chains_loaded(sender, instance, raw=False, **kwargs) -> None:
    """post_save of a Replacement row written by hand, and of a certification loaddata wrote
    (`raw`): keep the chain fields of the certifications it is in the chain of, and of the
    certification itself, from the Replacement rows as they now are (a fixture dumped before
    the site kept them has none)."""
    if sender is Replacement:
        refresh_chain_fields([instance.replaced_id])
    elif raw:
        held_by = Replacement.objects.filter(exam=instance.pk).values_list("replaced_id", flat=True)
        refresh_chain_fields({instance.pk, *held_by})


def _deleted_with(instance, origin):
    """What a certification's delete started from (the admin's delete page: the exam; its
    bulk action: the queryset), so that its receivers run once for every exam deleted."""
    if isinstance(origin, Certification) or getattr(origin, "model", None) is Certification:
        return origin
    return instance  # deleted along with another model's row: on its own


def chains_deleting(sender, instance, origin=None, **kwargs) -> None:
    """pre_delete of a certification: note the exams whose chains hold it, as their
    Replacement rows cascade away with it (one query for all the exams deleted at once)."""
    deleted = _deleted_with(instance, origin)
    if not hasattr(deleted, "_chains_holding"):
        if isinstance(deleted, Certification):
            exams = {"exam": deleted.pk}
        else:
            exams = {"exam__in": deleted.order_by().values("pk")}
        held_by = (
            Replacement.objects.filter(**exams).order_by().values_list("replaced_id", flat=True)
        )
        deleted._chains_holding = set(held_by)


def chains_deleted(sender, instance, origin=None, **kwargs) -> None:
    """post_delete of a certification: keep the chain fields of the exams whose chains held
    it, which listed it in `chain_ids` and may have had it as `chain_exam` (emptied by
    SET_NULL though another exam of the chain is on offer). Done at the first exam's
    post_delete, when every row of the delete is gone: two queries once per delete."""
    deleted = _deleted_with(instance, origin)
    holding = getattr(deleted, "_chains_holding", None)
    if holding is not None:
        del deleted._chains_holding
        if holding:
            refresh_chain_fields(holding)
