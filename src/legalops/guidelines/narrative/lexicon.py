"""Word lists and phrase patterns of the rule-based narrative analysis.

Sources for the cues: reference/billing-guidelines.md §2 (2.1 block billing, 2.2 vague
descriptions, 2.3 clerical and level-of-work lexicon, 2.4 internal conferences, 2.5 read-in and
training, 2.6 billing-process time, 2.7 research, attendance and travel). Every list is data:
tuning means editing a list here, and a guidelines file can add or silence phrases per rule
(`extra_terms`, `ignore_terms`).
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word list written as one space-separated string (easier to read and diff as data)."""
    return frozenset(text.split())


def _verb_forms(base: str) -> list[str]:
    """base, -s, -ed, -ing with the common English spelling rules (enough for task verbs)."""
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base.endswith("y") and base[-2] not in "aeiou":
        return [base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


def _family(family: str, verbs: str, nouns: str = "", irregular: str = "") -> dict[str, str]:
    forms = [form for verb in verbs.split() for form in _verb_forms(verb)]
    forms += nouns.split() + irregular.split()
    return {form.replace("_", " "): family for form in forms}


# Task heads: the word that opens a task clause, by kind of work (roughly the UTBMS activity:
# A103 draft/revise, A104 review/analyze, A102 research, A105-A108 communicate, A109 attend).
HEADS: dict[str, str] = {
    **_family(
        "review",
        "review analyze analyse evaluate assess consider examine study read identify "
        "investigate annotate search approve resolve familiarize familiarise cite-check "
        "shepardize bluebook",
        "review reviews analysis evaluation assessment review-and-approve",
        "run ran write_down write_off",
    ),
    **_family(
        "draft",
        "draft revise prepare edit finalize finalise comment outline develop summarize "
        "summarise compile update work mark_up markup",
        "draft preparation memo memorandum letter revisions redline",
        "wrote write rewrite worked_on work_on",
    ),
    **_family("research", "research", "research"),
    **_family(
        "comm",
        "call telephone phone discuss correspond email e-mail meet interview negotiate "
        "advise report respond reply answer coordinate speak talk exchange",
        "calls conference conferences meeting meetings emails e-mails correspondence "
        "discussion discussions negotiation negotiations t/c tc o/c meet-and-confer",
        # irregular or doubled forms; "proposed" stays out: it is mostly an adjective
        "met spoke spoken confer confers conferred conferring propose proposes proposing",
    ),
    **_family(
        "attend",
        "attend appear argue participate present defend inspect second-chair lead",
        "attendance hearing deposition",
    ),
    **_family("travel", "travel drive fly", "flight trip", "drove flew travelled travelling"),
    **_family(
        "clerical",
        "scan copy print fax file e-file collate assemble tab index organize organise "
        "calendar schedule confirm arrange order distribute forward send circulate serve "
        "courier deliver transmit format proofread upload download save load open close mail "
        "bates set_up retrieve submit track generate make",
        "",
        "sent scanned scanning tabbed tabbing",
    ),
    **_family("supervise", "supervise train teach educate", "training supervision"),
}
# "desk" work shares objects in compounds: "review and revise the agreement" is one task.
BROAD: dict[str, str] = {"review": "desk", "draft": "desk", "research": "desk", "supervise": "desk"}

# Words that may stand before a clause's task word without ending the search for it.
SKIPPABLE = words(
    "further continue continued continuing to begin began multiple various additional also then "
    "again brief initial final detailed lengthy short extended weekly daily follow-up internal "
    "office interoffice team video zoom status strategy case legal factual online westlaw lexis "
    "non-working return round round-trip one-way local second first day and the a an "
    "transition kick-off kickoff planning settlement scheduling pretrial pre-trial "
    "participate in"
)

# Clauses that report one's own findings belong to the research/review they report (§2.2 the
# compliant [INHOUSE] example "research ... and summarize findings in short memorandum").
REPORT_FINDINGS = re.compile(
    r"^(?:summar\w+|report\w*|memoriali\w+)\s+(?:the\s+|my\s+|our\s+)?(?:findings|results|"
    r"conclusions)"
)

# --- vague descriptions (§2.2) -------------------------------------------------------------
# Words that carry no "what" or "why" by themselves: generic objects, verbs, people, fillers.
GENERIC = words(
    """
    file files matter matters case cases document documents docs correspondence letter letters
    email emails e-mail e-mails mail memo memos issue issues material materials paper papers
    item items task tasks work things various miscellaneous misc status information info myself
    agreement agreements contract contracts brief briefs draft drafts pleading pleadings motion
    motions call calls conference conferences meeting meetings research review reviews analysis
    preparation prep attention follow up general legal several multiple same related etc
    client clients counsel opposing partner partners associate associates team paralegal
    internal interoffice telephone phone message messages note notes time hours
    strategy procedural response responses question questions
    """
)
STOPWORDS = words(
    """
    a an the and or of to for with re regarding concerning about on in at by from into per as
    is was be been being this that these those it its his her their our my your we i me us
    he she they them via vs v no not all any each some other such same than then there here
    also further additional new prior between among during while upon after before within out
    over under up down off own s
    """
)
TOPIC_MARKERS = re.compile(
    r"\b(?:re|regarding|concerning|about|on|in connection with|relating to|for|to (?:discuss|"
    r"review|"
    r"address|prepare|negotiate|plan|learn|consider|evaluate|assess|go over|finalize|resolve))\b"
)
VAGUE_MIN_WORDS = 2  # "does not say what was done, to what, and why" [OOLIGO]: fewer specific words

# --- clerical work (§2.3) -------------------------------------------------------------------
CLERICAL = re.compile(
    r"\b(?:scan(?:s|ned|ning)?|photocop\w+|(?<!review )cop(?:y|ied|ying) and|print(?:s|ed|"
    r"ing)? and|"
    r"print(?:ed|ing)? (?:documents|exhibits|copies)|fax(?:ed|es|ing)?|collat\w+|bates[- ]?\w*|"
    r"e-?fil(?:e|ed|es|ing)|electronically fil\w+|filing paperwork|calendar(?:ed|ing)? (?!year)\w+|"
    r"update[sd]? (?:the )?case calendar|docket(?:ed|ing)? (?:deadlines?|dates?)|"
    r"schedul(?:e|ed|ing) (?:the |a )?(?:\w+ )?(?:deposition|meeting|call|conference|hearing|"
    r"inspection|mediation)|"
    r"scheduling$|alphabeti\w+|"
    r"confirm(?:ed|ing)? (?:the )?(?:deposition|meeting|hearing|court reporter|"
    r"conference room|attendance)|"
    r"conflicts? (?:check|search)\w*|open(?:ed|ing)? (?:a |the )?(?:new )?(?:matter )?file|"
    r"clos(?:e|ed|ing) (?:the )?(?:matter )?file|organi[sz](?:e|ed|es|ing)\b|"
    r"index(?:ed|ing)? (?:the )?(?:documents|exhibits|deposition exhibits|file|production)|"
    r"proofread\w*|redact(?:s|ed|ing)?\b|load(?:ed|ing)? (?:the )?documents|upload\w*|download\w*|"
    r"data entry|word processing|mail(?:ed|ing)? (?:courtesy|copies|the)|courier\w*|"
    r"deliver(?:ed|ing)? (?:documents|courtesy|copies|the)|pick(?:ed)? up|"
    r"travel arrangements|flight arrangements|hotel and flight|arrange(?:d)? (?:travel|for|"
    r"hotel|court reporter)|"
    r"order(?:ed)? (?:certified|court reporter|transcripts?|copies)|"
    r"call(?:ed)? (?:the )?court clerk|"
    r"format(?:ted|ting)?\b|tables? of (?:contents|authorities)|distribut(?:e|ed|ing)\b|"
    r"forward(?:ed|ing)? (?:it |same |the \w+ )?to|transmittal|cover letter|binders?\b|"
    r"tab exhibits|"
    r"save[sd]? (?:to|into)|set up (?:coding|the database|workspace)|assembl(?:e|ed|ing)\b)"
)
CLERICAL_GATE = words(
    """scan scanned scanning copy copied copying print printed printing fax faxed faxing collate
    collated bates e-file e-filed efile filing calendar calendared calendaring case docket
    docketed schedule scheduled scheduling alphabetize alphabetizing alphabetized confirm
    confirmed confirming conflict conflicts open opened opening close closed closing organize
    organized organizing organise organised index indexed indexing proofread proofreading
    redact redacted redacting redacts load loaded loading upload uploaded uploading download
    downloaded downloading data word mail mailed mailing courier couriered deliver delivered
    pick picked travel flight hotel arrange arranged order ordered call called format formatted
    formatting tables table distribute distributed distributing forward forwarded forwarding
    transmittal cover binder binders tab save saved saves set assemble assembled assembling
    photocopy photocopied photocopying electronically update updated"""
)

# --- level of work (§2.3 [HAMM] [OOLIGO]) ---------------------------------------------------
PARALEGAL_LEVEL = re.compile(
    r"\b(?:exhibit lists?|witness lists?|witness/exhibit lists?|form interrogatories|"
    r"summar(?:y|ies|ize|ized|izing|ise|ised) (?:of )?(?:the )?(?:deposition|transcripts?|"
    r"interrogatory answers|records|medical records)|deposition (?:summar\w+|digests?)|"
    r"summariz\w+ interrogatory|first-level (?:document )?review|responsiveness coding|"
    r"cod(?:e|ing) documents)"
)
PARALEGAL_GATE = words(
    "exhibit witness witness/exhibit form summary summaries summarize summarized summarizing "
    "summarise summarised deposition first-level responsiveness code coding interrogatory"
)
ASSOCIATE_GATE = words(
    "cite-check cite-checked cite-checking citecheck shepardize shepardized shepardizing "
    "shepardise bluebook bluebooking"
)
ASSOCIATE_LEVEL = re.compile(r"\b(?:cite-?check\w*|shepardi[sz]\w*|blue-?book\w*)")

# --- internal conferences (§2.4) ------------------------------------------------------------
INTERNAL_PHRASES = re.compile(
    r"\b(?:office conference|interoffice|inter-office|intra-?office|"
    r"internal (?:\w+ )?(?:meeting|call|"
    r"conference|discussion|team)|(?<!client )(?<!client's )(?<!company )(?:case |litigation |"
    r"deal |"
    r"trial |paralegal |firm )?team (?:meeting|call)|(?<!client's )(?<!client )case team)"
)
INTERNAL_ROLES = re.compile(
    r"\b(?:(?:senior |junior |summer |supervising )?associates?(?! general counsel)(?!'s general)|"
    r"(?<!business )(?<!venture )(?<!limited )(?<!general )(?:supervising |senior |"
    r"managing )?partners?\b(?!ship)|"
    r"paralegals?|legal assistants?|colleagues?|co-?workers?|secretar(?:y|ies)|of counsel|"
    r"(?<!client )(?<!client's )(?<!opposing )team\b|firm)"
)
EXTERNAL_ROLES = re.compile(
    r"\b(?:client|clients|client's|opposing|co-?counsel|co-defense|general counsel|gc|court|judge|"
    r"clerk|chambers|expert|witness|insurer|adjuster|mediator|examin\w+|regulator|sec|staff|agency|"
    r"vendor|broker|tenant|landlord|lender|lender's|buyer|seller|government|ceo|cfo|coo|ciso|cto|"
    r"treasurer|hr|director|manager|officer|representatives?|auditor|trustee|creditors?|debtor|"
    r"plaintiff|defendant|uspto|attorney general|ag|investor|banker|consultant|mr|ms|mrs|dr)\b"
)
COMPANY_SUFFIX = re.compile(
    r"^(?:holdings|inc|llc|corp|corporation|co|group|partners|company|ltd|lp|llp|plc|industries|"
    r"bank|capital|logistics|freight|supply|systems)\b"
)
PARTICIPANT_END = re.compile(
    r"\b(?:re|regarding|concerning|about|on|to|for|in connection|relating)\b|[,;(]"
)

# --- learning curve (§2.5) ------------------------------------------------------------------
LEARNING = re.compile(
    r"\b(?:(?:get|getting|got|come|came|coming|bring|brought|bringing)\b[\w\s]{0,25}?up to speed|"
    r"familiari[sz]\w*|orientation|read-?in\b|background reading|\bbasics\b|"
    r"transition (?:meeting|memo|call)|following transition|"
    r"(?:train|training|trained|teach|teaching|taught|educate|educating|"
    r"educated)\b (?:(?:the |our |a )?"
    r"(?:new |junior |contract |summer )?(?:associates?|attorneys?|lawyers?|paralegals?|"
    r"team members?|"
    r"staff|team|reviewers?))|\bcle\b|webinar|seminar|to learn\b|learn(?:ing)? (?:about|"
    r"the basics))"
)
LEARNING_GATE = words(
    """speed familiarize familiarized familiarizing familiarise familiarised familiarization
    familiarisation orientation read-in readin background basics transition train training
    trained teach teaching taught educate educating educated cle webinar seminar learn
    learning"""
)

# --- billing about billing (§2.6) -----------------------------------------------------------
BILLING = re.compile(
    r"\b(?:pre-?bills?|prebills?|(?:prepar|review|revis|finaliz|submit|upload|approv|reconcil)\w*"
    r"(?: and \w+)? (?:the |our |this |monthly |quarterly |draft |final |ledes )*(?:invoices?|"
    r"bills?|"
    r"billing statements?|fee statements?)\b(?! produced| attached| from| of (?:vendor|"
    r"defendant|plaintiff))|"
    r"invoice (?:entries|submission|preparation|adjustments)|rejected (?:invoice|ledes|line items)|"
    r"billing (?:inquir\w+|questions?|guidelines|portal)|(?:fee|time) (?:statement|detail)s?\b|"
    r"accruals?|budget(?:ing)? preparation|budget-to-actual|(?:prepare|prepared|preparing|"
    r"draft|revise)"
    r" (?:\w+ )?(?:\w+ )?budget\b|litigation budget|fee estimates?|ledes|e-?billing|legal tracker|"
    r"counsellink|collaborati|tymetrix|brightflag|datacert|invoice entries|"
    r"questions about (?:the )?invoice)"
)
BILLING_GATE = words(
    """prebill pre-bill prebills pre-bills invoice invoices bill bills billing statement
    statements fee time accrual accruals budget budgeting budget-to-actual estimate estimates
    ledes e-billing ebilling tracker counsellink collaborati tymetrix brightflag datacert
    rejected"""
)

# --- research (§2.7) ------------------------------------------------------------------------
RESEARCH = re.compile(
    r"\b(?:legal research|research(?:ed|ing)?\b(?! (?:memo|memorandum|assignment|findings|results|"
    r"team|attorney|analyst|specialist|department))|westlaw|lexis|prior art search|case law search|"
    r"search for (?:recent )?(?:decisions|cases|authority|authorities))"
)
RESEARCH_GATE = words("research researched researching westlaw lexis search")
APPROVAL_GATE = words(
    "approved approval pre-approved preapproved authorized authorised authorization authorisation"
)
APPROVAL = re.compile(
    r"\b(?:approved by|per (?:\w+ )?approval|as approved|authori[sz]ed by|pre-?approved|"
    r"per authori[sz]ation|approval (?:of|from)|with approval)\b"
)

# --- travel time (§2.7) ---------------------------------------------------------------------
TRAVEL_CLAUSE = re.compile(
    r"^(?:non-?working |return |round[- ]trip |local |one-way )?(?:travel\w*|drive|drove|driving|"
    r"flight|fly|flew|train (?:to|from))(?: time)?\b(?! (?:arrangements?|policy|ban|expenses?|"
    r"budget))"
)
TRAVEL_INCLUDED = re.compile(r"\b(?:including|incl\.?|plus|with) (?:round[- ]trip )?travel\b")
WORKING_TRAVEL = re.compile(
    r"\b(?:on|during|while|en route)\b[\w\s]{0,20}\b(?:flight|train|travel\w*|trip|plane)\b"
)
TRAVEL_GATE = words(
    """travel traveled travelled traveling travelling drive drove driving flight fly flew train
    trip round-trip"""
)

# --- attendance events (§2.7 multiple attendance) ------------------------------------------
EVENT_KINDS: dict[str, str] = {
    "deposition": "deposition",
    "depositions": "deposition",
    "hearing": "hearing",
    "argument": "hearing",
    "conference": "meeting",
    "trial": "trial",
    "mediation": "mediation",
    "arbitration": "arbitration",
    "meeting": "meeting",
    "call": "meeting",
    "session": "meeting",
    "interview": "interview",
    "inspection": "inspection",
}
COURT_CONFERENCE = re.compile(
    r"\b(?:status|case management|scheduling|pretrial|pre-trial|settlement) conference"
)
ATTEND_VERBS = re.compile(
    r"\b(?:attend\w*|appear\w*|argu\w+|participat\w+|present\w*|defend\w*|second[- ]chair\w*|"
    r"cover\w*|took|take|taking)\b"
)
EVENT_NOUN = re.compile(
    r"\b(deposition|hearing|trial|mediation|arbitration|argument|meeting|interview|inspection|"
    r"conference|call|session)s?\b"
)

# --- luxury travel (expenses, [ONIT-BLOG] [OOLIGO] TRV-07) ----------------------------------
LUXURY = re.compile(
    r"\b(?:first[- ]class(?! (?:mail|postage|stamps?))|business[- ]class|upgrade\w*|suite\b|"
    r"mini-?bar|in-room (?:movies?|entertainment)|movies?\b|alcohol\w*|wine|beer|liquor|cocktails?|"
    r"champagne|spirits|bar tab|hotel bar|drinks|spa\b|golf|concert|theat(?:er|re)|sporting event|"
    r"tickets? (?:to|for) (?:the )?\w+ (?:game|concert|show|match)|limo\w*|luxury|chauffeur\w*|"
    r"(?<!working )(?<!client )entertainment(?! (?:industry|law|company|data))|"
    r"client entertainment)"
)
LUXURY_NEGATED = re.compile(
    r"\b(?:no|without|excluding|excl\.?|not including) (?:alcohol|wine|drinks)"
)
