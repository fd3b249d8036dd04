"""The chains of retired exams (Replacement rows), kept from the successors editors name."""

from django.db import connection, transaction

from certifications.models import Certification, Replacement


class Chains:
    """Every successor link and recorded Replacement, read once (two queries): a catalogue
    holds a few hundred retired exams at most, and only an editor's save reads them."""

    def __init__(self):
        self.down, self.up = {}, {}
        links = Certification.objects.filter(successor__isnull=False)
        edges = list(links.values_list("pk", "successor_id"))
        edges += list(Replacement.objects.values_list("replaced_id", "exam_id"))
        for old, new in edges:
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


def _wait_for_other_chain_saves() -> None:
    """Hold, until this transaction ends, the lock every chain save takes before it reads the
    chains: two editors retiring AZ-100 for AZ-103 and AZ-103 for AZ-104 at once each read
    the chains without the other's link, and neither recorded that AZ-104 replaced AZ-100.
    On SQLite a write transaction runs alone already (BEGIN IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAINS_LOCK])


def chain_of(certification_id) -> set:
    """The ids of the exams that replaced `certification_id`, directly or in turn: those its
    successors lead to and those the site recorded as its chain (two queries)."""
    return Chains().replacing(certification_id)


@transaction.atomic
def successor_chain_record(*, certification, previous_successor_id) -> Certification:
    """Record what `certification`'s successor, as just saved, means for the chains: its
    successor and every exam that one leads to replaced it and every exam it replaced.
    Moving the successor on along the chain (to an exam the previous one leads to, as the
    admin advises once that one is retired too) keeps the exams moved past, so that their
    valid passes keep holding the steps; naming another exam (a correction), or none, drops
    them. Waits for another save recording chains to commit (PostgreSQL), two queries to
    read the chains, then at most a delete and an insert."""
    pk, successor_id = certification.pk, certification.successor_id
    _wait_for_other_chain_saves()
    chains = Chains()
    upstream = {pk} | chains.replaced(pk)
    downstream = set()
    if previous_successor_id and previous_successor_id != successor_id:
        moved_past = {previous_successor_id} | chains.replacing(previous_successor_id)
        if successor_id in moved_past:
            downstream |= moved_past
        else:  # a correction: what the old successor led to never replaced this one
            recorded = Replacement.objects.filter(replaced=pk).values_list("exam_id", flat=True)
            Replacement.objects.filter(replaced__in=upstream, exam__in=list(recorded)).delete()
    if successor_id is not None:
        downstream |= {successor_id} | Chains().replacing(successor_id)
    Replacement.objects.bulk_create(
        [
            Replacement(replaced_id=old, exam_id=new)
            for old in sorted(upstream)
            for new in sorted(downstream - upstream)
        ],
        ignore_conflicts=True,
    )
    return certification
