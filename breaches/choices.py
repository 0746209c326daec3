"""The words of the procedure: whom a report concerns, its category, the tracks and their steps."""

from django.db import models


class Concerns(models.TextChoices):
    STAFF = "staff", "A member of staff"
    PUPIL = "pupil", "A pupil"
    VISITOR = "visitor", "A visitor"
    UNKNOWN = "unknown", "An unknown or external person"


class Category(models.TextChoices):
    """What a DSL would call it: KCSIE's categories first, then the Use of Social Media Policy's own."""

    SELF_HARM = "self_harm", "Self-harm or suicide risk"
    ABUSE = "abuse_neglect", "Abuse or neglect"
    CHILD_ON_CHILD = "child_on_child", "Child-on-child abuse"
    NUDES = "nudes", "Sharing nudes and semi-nudes"
    GROOMING = "grooming", "Online grooming or exploitation"
    RADICALISATION = "radicalisation", "Radicalisation (Prevent)"
    BULLYING = "bullying", "Bullying or cyberbullying"
    PUPIL_CONTACT = "pupil_contact", "Contact with a pupil or former pupil through personal social media"
    FRIEND_REQUEST = "friend_request", "A friend request from a pupil"
    FAMILY_CONTACT = "family_contact", "Contact with a pupil's family"
    DISREPUTE = "disrepute", "Content that brings the school into disrepute"
    CONFIDENTIAL = "confidential", "Confidential information disclosed"
    IMAGES = "images", "Images of pupils or staff published"
    HARASSMENT = "harassment", "Harassment, cyberbullying or discrimination"
    DEFAMATION = "defamation", "Defamation"
    PERSONAL_VIEWS = "personal_views", "Personal views given as the school's"
    IT_MISUSE = "it_misuse", "Misuse of IT"
    DATA_PROTECTION = "data_protection", "Data protection: personal data lost or shared"
    INAPPROPRIATE_CONTACT = "inappropriate_contact", "Inappropriate contact or relationship with a pupil"
    EXPLOITATION = "exploitation", "Safeguarding: sexual exploitation"
    MISSING = "missing", "Safeguarding: going missing"
    GANGS = "gangs", "Safeguarding: gangs or crime"
    VICTIM = "victim", "Safeguarding: a victim of crime"
    OTHER = "other", "Other"


SAFEGUARDING_CATEGORIES = {
    Category.SELF_HARM,
    Category.ABUSE,
    Category.CHILD_ON_CHILD,
    Category.NUDES,
    Category.GROOMING,
    Category.EXPLOITATION,
    Category.RADICALISATION,
    Category.MISSING,
    Category.GANGS,
    Category.VICTIM,
}

# About an adult, these suggest they may have harmed a child or pose a risk: KCSIE Part 4's
# "allegation", which triage offers to refer to the LADO within one working day.
ALLEGATION_CATEGORIES = SAFEGUARDING_CATEGORIES | {Category.INAPPROPRIATE_CONTACT, Category.PUPIL_CONTACT}

# The monitoring service's own category names (Securus and the like), and ours for each.
MONITORING_CATEGORIES = {
    "suicide": Category.SELF_HARM, "self-harm": Category.SELF_HARM, "self harm": Category.SELF_HARM,
    "bullying": Category.BULLYING, "cyberbullying": Category.BULLYING,
    "radicalisation": Category.RADICALISATION, "extremism": Category.RADICALISATION,
    "grooming": Category.GROOMING, "sexual": Category.GROOMING, "exploitation": Category.GROOMING,
    "adult content": Category.NUDES, "nudity": Category.NUDES,
    "abuse": Category.ABUSE, "violence": Category.ABUSE,
}  # fmt: skip


def category_from_monitoring(source_category: str) -> str:
    """Our category for a capture: the monitoring service's word when we know it, else misuse of IT."""
    word = (source_category or "").strip().lower()
    for key, category in MONITORING_CATEGORIES.items():
        if key in word:
            return category
    return Category.IT_MISUSE


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
    Category.SELF_HARM: ["worries me", "upsets or worries"],
    Category.ABUSE: ["worries me", "upsets or worries"],
    Category.CHILD_ON_CHILD: ["unkind", "harass", "bully"],
    Category.NUDES: ["photographs", "photos", "images"],
    Category.GROOMING: ["gain my trust", "meet", "sexual"],
    Category.BULLYING: ["cyberbullying", "bully", "unkind", "harass"],
    Category.DATA_PROTECTION: ["confidential", "personal data", "data protection"],
    Category.INAPPROPRIATE_CONTACT: ["contact with any", "contact through any personal social media",
                                     "contact staff through", "contact my teachers"],
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
    LOW_LEVEL = "low_level", "Low-level concern about an adult (confidential record)"


class ConcernLevel(models.TextChoices):
    """KCSIE Part 4: about an adult, is this an allegation (the harm threshold) or a low-level concern?"""

    ALLEGATION = "allegation", "An allegation: they may have harmed a child, or may pose a risk to children"
    LOW_LEVEL = "low_level", "A low-level concern: below the harm threshold"
    CONDUCT = "conduct", "Neither: a matter of conduct only"


class AllegationOutcome(models.TextChoices):
    """KCSIE Part 4's definitions of the outcome of an allegation about an adult working with children."""

    SUBSTANTIATED = "substantiated", "Substantiated: there is sufficient evidence to prove the allegation"
    UNSUBSTANTIATED = (
        "unsubstantiated",
        ("Unsubstantiated: there is insufficient evidence either to prove or disprove the allegation"),
    )
    UNFOUNDED = "unfounded", ("Unfounded: no evidence or proper basis supports the allegation being made")
    FALSE = "false", "False: there is sufficient evidence to disprove the allegation"
    MALICIOUS = (
        "malicious",
        ("Malicious: sufficient evidence to disprove it, and a deliberate act to deceive or cause harm"),
    )


# The outcomes whose record is removed, not kept (KCSIE Part 4: allegations found malicious or false
# are removed from personnel records).
REMOVED_OUTCOMES = {AllegationOutcome.FALSE, AllegationOutcome.MALICIOUS}


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
    LOW_LEVEL = "low_level", "Kept as a low-level concern"
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
    DBS = "dbs", "DBS (Disclosure and Barring Service)"
    TRA = "tra", "Teaching Regulation Agency"


class LeavingReason(models.TextChoices):
    DISMISSAL = "dismissal", "Dismissed"
    RESIGNATION = "resignation", "Resigned during the case"


class ParentsToldBy(models.TextChoices):
    PHONE = "phone", "Telephone call"
    MEETING = "meeting", "Meeting"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"


class LetterKind(models.TextChoices):
    """The letters the Acas Code expects the member of staff to receive, each from its template."""

    INVESTIGATION_MEETING = "investigation_meeting", "Invitation to an investigation meeting"
    SUSPENSION = "suspension", "Suspension on full pay"
    SUSPENSION_REVIEW = "suspension_review", "Review of suspension"
    HEARING = "hearing", "Invitation to a disciplinary hearing"
    OUTCOME = "outcome", "Outcome of the disciplinary hearing"
    APPEAL_HEARING = "appeal_hearing", "Invitation to an appeal hearing"
    APPEAL_OUTCOME = "appeal_outcome", "Outcome of the appeal"


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
    RECATEGORISED = "recategorised", "Category or track changed"
    LADO_ADVICE = "lado_advice", "LADO's advice"
    TRUST_INVOLVED = "trust_involved", "Trust's nominated person involved"
    MEETING = "meeting", "Investigation meeting"
    SUSPENSION = "suspension", "Suspension"
    HEARING_ARRANGED = "hearing_arranged", "Hearing arranged"
    APPEAL_ARRANGED = "appeal_arranged", "Appeal panel appointed"
    LETTER = "letter", "Letter sent"
    LEFT = "left", "Employment ended"
    ALLEGATION_OUTCOME = "allegation_outcome", "Outcome of the allegation"
    CLOSED = "closed", "Closed"
