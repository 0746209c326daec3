"""Check every audit chain and every permanent record against the entry that created it.

Three things can be wrong, and each is named by the first audit entry it breaks:
- an entry's content no longer hashes to its fingerprint (the entry was changed);
- an entry does not link to the one before it, or the chain ends early (an entry was removed);
- a record no longer matches the fingerprint its creating entry holds (changed), is gone without a
  lawful-deletion tombstone (deleted), or has no creating entry at all (written behind our back).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC

from django.apps import apps

from .hashing import entry_sha256, evidence_fields, record_key, record_sha256
from .lawful import TOMBSTONE
from .models import AuditChainHead, AuditEntry

ENTRY_COLUMNS = (
    "id", "at", "actor_id", "school_id", "action", "record_type", "record_id", "record_label", "detail",
    "evidence", "previous_sha256", "entry_sha256",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    entry_id: int | None
    message: str
    school_id: int | None = None

    def __str__(self):
        return f"Audit entry {self.entry_id}: {self.message}" if self.entry_id else self.message


@dataclass
class Report:
    entries_checked: int = 0
    records_checked: int = 0
    problems: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)  # entry id -> how the page names it

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> Problem | None:
        """The earliest entry anything breaks; a record with no entry at all only when nothing else."""
        named = [p for p in self.problems if p.entry_id]
        if named:
            return min(named, key=lambda p: p.entry_id)
        return self.problems[0] if self.problems else None

    def describe(self, problem: Problem) -> str:
        label = self.labels.get(problem.entry_id)
        return f"{problem} ({label})" if label else str(problem)


def verify_evidence() -> Report:
    report = Report()
    claims = defaultdict(list)  # record key -> [(entry id, sha256, school id)]
    tombstones = set()
    school_ids = set(AuditEntry.objects.values_list("school_id", flat=True).distinct())
    heads = {h.school_id: h for h in AuditChainHead.objects.all()}
    for school_id in sorted(school_ids | set(heads), key=lambda s: s or 0):
        _check_chain(report, school_id, heads.get(school_id), claims, tombstones)
    _check_records(report, claims, tombstones)
    report.problems.sort(key=lambda p: (p.entry_id is None, p.entry_id or 0))
    unnamed = {p.entry_id for p in report.problems if p.entry_id and p.entry_id not in report.labels}
    for pk, at, action, label in AuditEntry.objects.filter(pk__in=unnamed).values_list(
        "pk", "at", "action", "record_label"
    ):
        report.labels[pk] = f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, {action}, {label}"
    return report


def _check_chain(report, school_id, head, claims, tombstones):
    entries = (
        AuditEntry.objects.filter(school_id=school_id)
        if school_id
        else AuditEntry.objects.filter(school__isnull=True)
    )
    previous, last_id, count = "", None, 0
    for row in entries.order_by("id").values_list(*ENTRY_COLUMNS).iterator(chunk_size=5000):
        (pk, at, actor_id, _, action, record_type, record_id, label, detail, evidence, linked, stored) = row
        count += 1
        report.entries_checked += 1
        recomputed = entry_sha256(
            previous=linked, at=at, actor_id=actor_id, school_id=school_id, action=action,
            record_type=record_type, record_id=record_id, record_label=label, detail=detail,
            evidence=evidence, from_database=True,
        )  # fmt: skip
        if recomputed != stored:
            _problem(
                report, pk, at, action, label, "its content has been changed since it was written.", school_id
            )
        if linked != previous:
            _problem(
                report, pk, at, action, label,
                "it does not follow the entry before it in the chain: an entry before it was removed or changed.",
                school_id,
            )  # fmt: skip
        for key, digest in (evidence or {}).items():
            claims[key].append((pk, digest, school_id))
        if action == TOMBSTONE:
            tombstones.add(f"{record_type}:{record_id}")
        previous, last_id = stored, pk
    if head is None:
        if count:
            report.problems.append(Problem(last_id, "its chain has no recorded head.", school_id))
        return
    if head.head_sha256 != previous or head.length != count:
        missing = head.length - count
        message = f"the chain should hold {head.length} entries and holds {count}: " + (
            f"{missing} after this one were removed." if missing > 0 else "it does not end where it should."
        )
        report.problems.append(Problem(last_id, message, school_id))


def _problem(report, pk, at, action, label, message, school_id):
    report.labels[pk] = f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, {action}, {label}"
    report.problems.append(Problem(pk, message, school_id))


def evidence_models():
    return [m for m in apps.get_models() if evidence_fields(m) is not None]


def _check_records(report, claims, tombstones):
    seen = set()
    for model in evidence_models():
        rows = model._base_manager.all()
        if hasattr(model, "is_frozen_evidence"):
            rows = [r for r in rows.iterator(chunk_size=2000) if r.is_frozen_evidence]
        else:
            rows = rows.iterator(chunk_size=2000)
        name = model._meta.verbose_name
        for record in rows:
            report.records_checked += 1
            key = record_key(record)
            seen.add(key)
            recorded = claims.get(key)
            if not recorded:
                report.problems.append(
                    Problem(None, f"The {name} {record.pk} has no audit entry that created it "
                            "(if it predates the chain: verify_evidence --adopt-existing, once).",
                            getattr(record, "school_id", None))
                )  # fmt: skip
                continue
            digest = record_sha256(record)
            for entry_id, claimed, school_id in recorded:
                if claimed != digest:
                    report.problems.append(
                        Problem(
                            entry_id, f"the {name} {record.pk} it recorded has been changed since.", school_id
                        )
                    )
    for key, recorded in claims.items():
        if key in seen or key in tombstones:
            continue
        label, pk = key.split(":", 1)
        entry_id, _, school_id = min(recorded)
        name = apps.get_model(label)._meta.verbose_name if _known(label) else label
        report.problems.append(
            Problem(entry_id, f"the {name} {pk} it recorded is missing, deleted without a lawful-deletion entry.",
                    school_id)
        )  # fmt: skip


def _known(label) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
