"""The words of the procedure: whom a report concerns, its category, the tracks and their steps."""

from django.db import models


class Concerns(models.TextChoices):
    STAFF = "staff", "A member of staff"
    PUPIL = "pupil", "A pupil"
    VISITOR = "visitor", "A visitor"
    UNKNOWN = "unknown", "An unknown or external person"


class Category(models.TextChoices):
    """The Use of Social Media Policy's own list of what must be reported."""

    PUPIL_CONTACT = "pupil_contact", "Contact with a pupil or former pupil through personal social media"
    FRIEND_REQUEST = "friend_request", "A friend request from a pupil"
    FAMILY_CONTACT = "family_contact", "Contact with a pupil's family"
    DISREPUTE = "disrepute", "Content that brings the school into disrepute"
    CONFIDENTIAL = "confidential", "Confidential information disclosed"
    IMAGES = "images", "Images of pupils or staff published"
    HARASSMENT = "harassment", "Harassment, cyberbullying or discrimination"
    DEFAMATION = "defamation", "Defamation"
    PERSONAL_VIEWS = "personal_views", "Personal views given as the school's"
    IT_MISUSE = "it_misuse", "Misuse of IT or a monitoring flag"
    EXPLOITATION = "exploitation", "Safeguarding: sexual exploitation"
    RADICALISATION = "radicalisation", "Safeguarding: radicalisation"
    MISSING = "missing", "Safeguarding: going missing"
    GANGS = "gangs", "Safeguarding: gangs or crime"
    VICTIM = "victim", "Safeguarding: a victim of crime"
    OTHER = "other", "Other"


SAFEGUARDING_CATEGORIES = {
    Category.EXPLOITATION,
    Category.RADICALISATION,
    Category.MISSING,
    Category.GANGS,
    Category.VICTIM,
}

# Words that find the clause of a policy or agreement a category is about, whichever agreement
# (staff, KS3, KS4, visitor) the person signed; the lead confirms or corrects the suggestion.
CLAUSE_KEYWORDS = {
    Category.PUPIL_CONTACT: ["contact with any", "contact through any personal social media",
                             "contact staff through", "contact my teachers"],
    Category.FRIEND_REQUEST: ["friend request", "online friends"],
    Category.FAMILY_CONTACT: ["family members"],
    Category.DISREPUTE: ["disrepute", "disparages"],
    Category.CONFIDENTIAL: ["confidential"],
    Category.IMAGES: ["photographs", "photos", "images"],
    Category.HARASSMENT: ["harass", "cyberbullying", "unkind"],
    Category.DEFAMATION: ["defame", "defamation"],
    Category.PERSONAL_VIEWS: ["personal views"],
    Category.IT_MISUSE: ["filtering", "filters", "IT facilities", "monitors"],
    Category.EXPLOITATION: ["sexual", "gain my trust", "meet"],
    Category.RADICALISATION: ["radicalised", "extremist"],
    Category.MISSING: ["going missing", "meet"],
    Category.GANGS: ["gang"],
    Category.VICTIM: ["victims of crime", "worries me", "upsets or worries"],
}  # fmt: skip


class Track(models.TextChoices):
    DISCIPLINARY = "disciplinary", "Staff conduct (Disciplinary Policy)"
    SAFEGUARDING = "safeguarding", "Safeguarding (the DSL's track)"
    BEHAVIOUR = "behaviour", "Pupil behaviour (Behaviour Policy)"


class Source(models.TextChoices):
    FORM = "form", "Report form"
    PUPIL_FORM = "pupil_form", "A pupil's report"
    MONITORING = "monitoring", "Monitoring flag"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported: to be triaged"
    ACCEPTED = "accepted", "Accepted: awaiting an investigator"
    INVESTIGATING = "investigating", "Under investigation"
    FINDING = "finding", "Finding made"
    HEARING_HELD = "hearing_held", "Hearing held"
    OUTCOME = "outcome", "Outcome given"
    APPEAL_LODGED = "appeal_lodged", "Appeal lodged"
    APPEAL_DECIDED = "appeal_decided", "Appeal decided"
    SAFEGUARDING = "safeguarding", "With the DSL"
    BEHAVIOUR = "behaviour", "Under the Behaviour Policy"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = [s for s in Status if s != Status.CLOSED]
# Once an investigator is assigned, the staff track keeps one on the record.
INVESTIGATED_STATUSES = [
    Status.INVESTIGATING,
    Status.FINDING,
    Status.HEARING_HELD,
    Status.OUTCOME,
    Status.APPEAL_LODGED,
    Status.APPEAL_DECIDED,
]


class Finding(models.TextChoices):
    NO_CASE = "no_case", "No case to answer"
    INFORMAL = "informal", "Informal advice or management guidance"
    HEARING = "hearing", "A formal hearing"


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    FIRST_WARNING = "first_written", "First written warning"
    FINAL_WARNING = "final_written", "Final written warning"
    DISMISSAL = "dismissal", "Dismissal"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    LADO = "lado", "LADO (Local Authority Designated Officer)"


class Sanction(models.TextChoices):
    """Sanctions the Behaviour Policy allows for a pupil's breach of their agreement."""

    RESTORATIVE = "restorative", "Restorative conversation"
    DETENTION = "detention", "Detention"
    IT_WITHDRAWN = "it_withdrawn", "IT access withdrawn for a time"
    PARENTS = "parents", "Meeting with parents or carers"
    INTERNAL_EXCLUSION = "internal_exclusion", "Internal exclusion"
    SUSPENSION = "suspension", "Suspension"
    NONE = "none", "No sanction"


class EntryKind(models.TextChoices):
    REPORTED = "reported", "Reported"
    FLAGGED = "flagged", "Monitoring flag"
    EVIDENCE = "evidence", "Further evidence"
    TRIAGED = "triaged", "Triaged"
    ASSIGNED = "assigned", "Investigator assigned"
    NOTE = "note", "Note"
    FINDING = "finding", "Finding"
    HEARING = "hearing", "Hearing"
    OUTCOME = "outcome", "Outcome"
    APPEAL = "appeal", "Appeal lodged"
    APPEAL_DECISION = "appeal_decision", "Appeal decided"
    ACTION = "action", "Safeguarding action"
    REFERRAL = "referral", "Referral"
    SAFEGUARDING_OUTCOME = "safeguarding_outcome", "Safeguarding outcome"
    SANCTION = "sanction", "Sanction"
    CLOSED = "closed", "Closed"
