"""Fill an empty database with a believable demo program (``manage.py seed_demo``).

One outpatient program with two teams, two managers, eight CHWs, a leader and an
administrator; about two hundred patients speaking a dozen languages; nine months of
enrollments and encounters. Two CHWs are over the caseload cap, some enrollments have run
past their planned end, some have had no contact lately, and patients keep calling after
hours and after their enrollment ended, so every screen and figure has something to show.

On top of that, the action-plan layer: a partner directory of about ten local
organisations (one no longer accepting referrals), an intake for most enrollments that
ran, one to three goals in the patient's own words with their action steps (about one goal
in four with a referral to a partner; some steps overdue), goals closed with mixed outcomes
when the enrollment closed and a few already this quarter, and the visits and calls that
worked on each goal.

Everything is drawn from ``random.Random(--seed)`` and dated relative to the program's
today, so the same seed on an empty database gives the same data on the same day.
Rows are written with ``bulk_create`` inside one transaction; the derived encounter flags
are computed with ``caseloads.services.encounter_flags``, as every other write does.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from actionplans.models import ActionStep, Goal, Intake, Partner
from actionplans.selectors import GOAL_WINDOW_DAYS, quarter_start
from caseloads.alerts import alerts_sweep
from caseloads.models import (
    Alert,
    Encounter,
    Enrollment,
    EnrollmentReassignment,
    Patient,
    RaceEthnicity,
    SweepRun,
)
from caseloads.services import encounter_flags
from demo.fidelity import seed_fidelity
from demo.large import seed_large
from demo.reports import seed_money
from demo.supervision import seed_supervision
from fidelity.models import ComponentRating, FidelityReview, ImplementationNote
from impact import audit
from impact.models import (
    ApiToken,
    CostLine,
    ExportJob,
    FundingSource,
    Program,
    Role,
    Team,
    TrainingRecord,
    User,
    UtilizationImport,
    UtilizationRecord,
)
from supervision.models import (
    BurnoutSnapshot,
    FollowUp,
    SupervisionSession,
    TimeOff,
    WellbeingCheckIn,
)

DEMO_PASSWORD = "demo-pass-2026"
PROGRAM_NAME = "Eastside Community Health Worker Program"
DEFAULT_SEED = 2026
HISTORY_DAYS = 270  # about nine months of history

Kind = Encounter.Kind
Status = Enrollment.Status
InitiatedBy = Encounter.InitiatedBy

TEAM_NAMES = ["Riverside", "Parkview"]

# (username, first name, last name, role, team index or None, interface language: blank
# for those who have not chosen one, so the sign-in page's choice or the browser's applies)
STAFF = [
    ("manager1", "Denise", "Whitfield", Role.MANAGER, 0, ""),
    ("manager2", "Rafael", "Ortiz", Role.MANAGER, 1, "es"),
    ("chw1", "María", "González", Role.CHW, 0, "es"),
    ("chw2", "Jamal", "Carter", Role.CHW, 0, ""),
    ("chw3", "Linh", "Trần", Role.CHW, 0, ""),
    ("chw4", "Fatima", "Hassan", Role.CHW, 0, ""),
    ("chw5", "Rose", "Pierre-Louis", Role.CHW, 1, ""),
    ("chw6", "Keisha", "Brown", Role.CHW, 1, ""),
    ("chw7", "Bishnu", "Gurung", Role.CHW, 1, ""),
    ("chw8", "Ana", "López", Role.CHW, 1, "es"),
    ("leader", "Patricia", "Okafor", Role.LEADER, None, ""),
    ("admin", "Sam", "Whitaker", Role.ADMIN, None, ""),
]

# Active (enrolled) caseload per CHW: chw1 and chw5 are over the cap of 30.
ACTIVE_CASELOAD = {
    "chw1": 33,
    "chw2": 18,
    "chw3": 20,
    "chw4": 15,
    "chw5": 35,
    "chw6": 22,
    "chw7": 16,
    "chw8": 19,
}
# Patients whose one enrollment ended or never started, besides the active ones.
OTHER_OUTCOMES = {
    Status.GRADUATED: 16,
    Status.WITHDRAWN: 7,
    Status.REFERRED: 6,
    Status.DECLINED: 3,
    Status.INELIGIBLE: 2,
}
ACTIVE_PAST_END = 12  # active enrollments enrolled more than intervention_days ago
# The CHWs whose patients run past their end date and keep calling after it this month:
# the boundary strain behind their burnout-risk stories (demo/supervision.py).
BOUNDARY_CHWS = ("chw1", "chw5", "chw6")
ACTIVE_LAPSED_SHARE = 0.1  # active enrollments with no reached contact lately
PRIOR_DECLINED = 6  # active patients who had declined an earlier referral

# Preferred language (ISO 639-1, or 639-3 where there is no 639-1 code) and its weight.
LANGUAGE_WEIGHTS = {
    "en": 40,
    "es": 25,
    "ht": 6,
    "zh": 5,
    "vi": 5,
    "ar": 4,
    "so": 3,
    "ne": 3,
    "pt": 3,
    "fr": 2,
    "ru": 2,
    "mam": 2,
    "quc": 1,
}

# fmt: off
_MAYAN = (
    [
        "Juana", "Tomás", "Rigoberta", "Domingo", "Petrona", "Sebastián", "Catarina", "Diego",
    ],
    [
        "Tzoc", "Xicará", "Ajú", "Chávez", "Tum", "Ixcot", "Coyoy", "Batz", "Quiej", "Pérez",
    ],
)
NAMES = {
    "en": (
        [
            "James", "Mary", "Robert", "Patricia", "Michael", "Linda", "Darnell", "Tanisha",
            "Kevin", "Shanice", "William", "Barbara", "Andre", "Crystal", "Joseph", "Donna",
            "Tyrone", "Brenda", "Marcus", "Gloria", "Anthony", "Latoya", "Christopher", "Sharon",
            "Raymond", "Yvonne", "Jerome", "Kimberly", "Frank", "Dolores",
        ],
        [
            "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson", "Moore",
            "Taylor", "Jackson", "White", "Harris", "Thompson", "Robinson", "Walker", "Young",
            "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Mitchell",
            "Campbell", "Roberts", "O'Brien", "Kowalski", "Murphy", "McBride", "Washington",
        ],
    ),
    "es": (
        [
            "José", "María", "Juan", "Carmen", "Luis", "Rosa", "Carlos", "Ana", "Jorge", "Lucía",
            "Miguel", "Isabel", "Pedro", "Guadalupe", "Francisco", "Marisol", "Ramón", "Yesenia",
            "Héctor", "Leticia",
        ],
        [
            "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
            "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales",
            "Reyes", "Ortiz", "Vázquez", "Santiago",
        ],
    ),
    "ht": (
        [
            "Jean", "Marie", "Jacques", "Nadège", "Wilner", "Fabienne", "Frantz", "Roselaure",
            "Guerline", "Emmanuel", "Mirlande", "Jocelyn",
        ],
        [
            "Joseph", "Jean-Baptiste", "Louis", "Charles", "Étienne", "Désir", "Auguste", "Dorvil",
            "Fleurant", "Noël", "Célestin", "Baptiste",
        ],
    ),
    "zh": (
        [
            "Wei", "Li", "Mei", "Jun", "Xiu Ying", "Hao", "Fang", "Jian", "Ling", "Yong",
        ],
        [
            "Chen", "Wang", "Li", "Zhang", "Liu", "Lin", "Huang", "Zhao", "Wu", "Zhou",
        ],
    ),
    "vi": (
        [
            "Anh", "Minh", "Thu", "Hùng", "Lan", "Tuấn", "Hoa", "Dũng", "Mai", "Quang",
        ],
        [
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
        ],
    ),
    "ar": (
        [
            "Ahmed", "Fatima", "Mohammed", "Aisha", "Omar", "Layla", "Youssef", "Mariam", "Khaled",
        ],
        [
            "Al-Sayed", "Haddad", "Mansour", "Khalil", "Saleh", "Abdullah", "Nasser", "Farouk",
        ],
    ),
    "so": (
        [
            "Abdi", "Hodan", "Mohamed", "Fadumo", "Hassan", "Ayaan", "Ali", "Sahra", "Hawa",
        ],
        [
            "Warsame", "Abdullahi", "Farah", "Hussein", "Jama", "Osman", "Mohamud", "Aden",
        ],
    ),
    "ne": (
        [
            "Bishnu", "Devi", "Hari", "Kamala", "Ram", "Sita", "Krishna", "Laxmi", "Tika", "Dil",
        ],
        [
            "Gurung", "Rai", "Subba", "Tamang", "Adhikari", "Pradhan", "Chhetri", "Magar",
        ],
    ),
    "pt": (
        [
            "João", "Ana Paula", "Marcos", "Fernanda", "Paulo", "Juliana", "Thiago", "Camila",
        ],
        [
            "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira",
        ],
    ),
    "fr": (
        [
            "Mamadou", "Aminata", "Ibrahima", "Fatoumata", "Moussa", "Mariama", "Ousmane", "Awa",
        ],
        [
            "Diallo", "Traoré", "Koné", "Camara", "Sow", "Bah", "Keita", "Touré",
        ],
    ),
    "ru": (
        [
            "Olga", "Sergei", "Tatiana", "Dmitri", "Irina", "Nikolai", "Svetlana", "Viktor",
        ],
        [
            "Petrenko", "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Lysenko",
        ],
    ),
    "mam": _MAYAN,
    "quc": _MAYAN,
}
# fmt: on
NICKNAMES = {
    "Robert": "Bobby",
    "William": "Bill",
    "Patricia": "Pat",
    "Christopher": "Chris",
    "Kimberly": "Kim",
    "Anthony": "Tony",
    "José": "Pepe",
    "Francisco": "Paco",
    "Guadalupe": "Lupe",
    "Xiu Ying": "Ying",
    "Ana Paula": "Ana",
    "Mohammed": "Mo",
}
# Likely self-reported answers by language; English speakers answer anything.
RACE_BY_LANGUAGE = {
    "es": [["hispanic"], ["hispanic", "white"], ["hispanic", "black"]],
    "ht": [["black"]],
    "zh": [["asian"]],
    "vi": [["asian"]],
    "ne": [["asian"]],
    "ar": [["middle_eastern"]],
    "so": [["black"]],
    "pt": [["hispanic"], ["white"], ["other"]],
    "fr": [["black"]],
    "ru": [["white"]],
    "mam": [["american_indian", "hispanic"]],
    "quc": [["american_indian", "hispanic"]],
    "en": [["black"], ["black"], ["white"], ["hispanic"], ["asian"], ["black", "white"]],
}
ZIP_CODES = [
    "19104", "19121", "19122", "19124", "19125", "19132", "19133", "19134", "19139",
    "19140", "19143", "19145", "19146", "19148",
]  # fmt: skip

HANDOFFS = [
    "Dr. Amanda Reyes, primary care, Eastside Health Center",
    "Care manager at Keystone Health Plan",
    "Diabetes self-management group, Lehigh Avenue library",
    "Behavioral health clinic, Eastside Health Center",
    "Senior center case manager, Norris Square",
    "Community health center nurse navigator",
]
WITHDRAW_REASONS = [
    "Moved out of the area to live with family.",
    "Asked to stop: feels well supported by family now.",
    "Started a new job with hours that leave no time for visits.",
    "Could not be reached after repeated attempts over six weeks.",
    "Enrolled in the health plan's own care management program.",
]
DECLINE_REASONS = [
    "Not interested right now; was given the program's number.",
    "Prefers to manage on their own; family helps.",
    "Too busy with work; may call back later.",
]
INELIGIBLE_REASONS = [
    "Lives outside the service area.",
    "Already followed by another CHW program.",
]

# Contact kinds and how often each comes up during an enrollment.
KIND_WEIGHTS = {
    Kind.PHONE: 30,
    Kind.TEXT: 14,
    Kind.HOME_VISIT: 12,
    Kind.COMMUNITY_VISIT: 8,
    Kind.CLINIC_VISIT: 7,
    Kind.ACCOMPANIMENT: 5,
    Kind.HOSPITAL_VISIT: 2,
    Kind.VIDEO: 3,
    Kind.CHART_REVIEW: 8,
    Kind.OUTREACH_ATTEMPT: 4,
    Kind.SAFETY_NOTE: 1,
}
REACHED_CHANCE = {
    Kind.PHONE: 0.75,
    Kind.TEXT: 0.85,
    Kind.VIDEO: 0.9,
    Kind.HOME_VISIT: 0.92,
    Kind.COMMUNITY_VISIT: 0.9,
    Kind.CLINIC_VISIT: 0.95,
    Kind.ACCOMPANIMENT: 0.97,
    Kind.HOSPITAL_VISIT: 0.95,
    Kind.OUTREACH_ATTEMPT: 0.2,
}
PATIENT_INITIATED_CHANCE = {Kind.PHONE: 0.3, Kind.TEXT: 0.35, Kind.VIDEO: 0.1}
DURATION_MINUTES = {
    Kind.PHONE: (5, 30),
    Kind.TEXT: (1, 5),
    Kind.VIDEO: (15, 45),
    Kind.HOME_VISIT: (45, 120),
    Kind.COMMUNITY_VISIT: (30, 90),
    Kind.CLINIC_VISIT: (30, 90),
    Kind.ACCOMPANIMENT: (90, 240),
    Kind.HOSPITAL_VISIT: (30, 60),
    Kind.OUTREACH_ATTEMPT: (2, 10),
    Kind.CHART_REVIEW: (10, 30),
    Kind.SAFETY_NOTE: (10, 20),
}
NOTES = {
    (Kind.PHONE, True): [
        "Check-in call. Taking medications as prescribed; no new concerns.",
        "Called to confirm Thursday's appointment. Patient has a ride.",
        "Talked through the week's goal: walking after dinner three times.",
        "Patient called about a letter from the gas company; will bring it to the next visit.",
        "Reviewed blood pressure log together. Readings a little lower.",
        "Patient worried about rent this month; set up a visit to apply for assistance.",
    ],
    (Kind.PHONE, False): [
        "No answer. Left a voicemail with a callback number.",
        "Phone went straight to voicemail; mailbox full.",
        "Number rang out. Will try again tomorrow.",
    ],
    (Kind.TEXT, True): [
        "Texted appointment reminder; patient replied to confirm.",
        "Patient texted a photo of the pharmacy receipt; refill picked up.",
        "Sent the food pantry hours; patient said thanks.",
    ],
    (Kind.TEXT, False): ["Texted to check in; no reply yet."],
    (Kind.VIDEO, True): ["Video call with patient and daughter to review the action plan."],
    (Kind.VIDEO, False): ["Video call link sent; patient did not join."],
    (Kind.HOME_VISIT, True): [
        "Home visit. Reviewed medications and upcoming appointments.",
        "Home visit. Worked on the action plan; patient chose the next step.",
        "Home visit. Helped fill out the SNAP application.",
        "Home visit. Patient shared more of their story; talked about what keeps them well.",
        "Home visit. Checked the fridge and pantry together; planned a grocery trip.",
    ],
    (Kind.HOME_VISIT, False): ["Home visit; no one answered the door. Left a card."],
    (Kind.COMMUNITY_VISIT, True): [
        "Met at the library to work on the housing application.",
        "Met at the corner café; talked about stress at home and sleep.",
        "Walked together to the food pantry and got registered.",
    ],
    (Kind.COMMUNITY_VISIT, False): [
        "Waited at the meeting place for 30 minutes; patient did not come."
    ],
    (Kind.CLINIC_VISIT, True): [
        "Met patient at clinic before the primary care visit; helped list questions.",
        "Joined the nurse visit to go over the new insulin plan in plain words.",
    ],
    (Kind.CLINIC_VISIT, False): ["Patient missed the clinic appointment; will call to reschedule."],
    (Kind.ACCOMPANIMENT, True): [
        "Went with patient to the benefits office; application submitted.",
        "Accompanied patient to the specialist appointment; interpreter was there.",
        "Rode the bus with patient to the new pharmacy to learn the route.",
    ],
    (Kind.ACCOMPANIMENT, False): ["Patient cancelled the accompaniment this morning."],
    (Kind.HOSPITAL_VISIT, True): ["Visited patient on the ward; planned the first week at home."],
    (Kind.HOSPITAL_VISIT, False): ["Went to the ward; patient was already discharged."],
    (Kind.OUTREACH_ATTEMPT, True): [
        "Reached patient; explained the program and set a first visit."
    ],
    (Kind.OUTREACH_ATTEMPT, False): [
        "Outreach call; no answer. Left a message.",
        "Outreach: stopped by the address on file; no one home.",
        "Outreach text sent with a short introduction.",
    ],
    (Kind.CHART_REVIEW, False): [
        "Chart review before the visit: new A1c result and specialist referral.",
        "Reviewed discharge summary from the weekend ED visit.",
        "Checked upcoming appointments and medication list in the chart.",
    ],
    (Kind.SAFETY_NOTE, False): [
        "Safety note: visited with a teammate because of a loose dog at the address.",
        "Safety note: patient mentioned conflict at home; discussed with manager.",
    ],
}
AFTER_END_NOTES = [
    "Former patient called: new bill from the hospital, asked what to do.",
    "Patient texted to say hello and share good news about the new apartment.",
    "Patient called for help with a prescription refill; gave the clinic number.",
    "Patient called worried about a letter from the benefits office.",
    "Patient called asking if they can be enrolled again.",
]
ENROLLMENT_NOTE = (
    "Enrollment visit. Started the intake and talked about what matters most to the patient."
)
CRISIS_NOTE = (
    "Patient very distressed on the call; stayed on the line and connected to crisis line."
)

# -- the action-plan layer (actionplans) ---------------------------------------------------

PartnerKind = Partner.Kind
Category = Goal.Category
GoalStatus = Goal.Status
StepStatus = ActionStep.Status
Owner = ActionStep.Owner
Support = ActionStep.SupportType
Outcome = ActionStep.Outcome

# (name, kind, relationship, serves regardless of status, languages, address, notes,
# accepting referrals). Fictional organisations at fictional addresses.
PARTNERS = [
    (
        "Eastside Medical-Legal Partnership",
        PartnerKind.MEDICAL_LEGAL,
        Partner.Relationship.FORMAL,
        True,
        ["en", "es"],
        "Eastside Health Center, 2nd floor, 1200 N 5th St, Philadelphia, PA 19122",
        "Lawyers on site Tuesdays and Thursdays: unsafe housing, utility shutoffs, benefits "
        "denials, guardianship. Referral through the CHW; no cost to patients.",
        True,
    ),
    (
        "Delaware Valley Legal Aid, North Office",
        PartnerKind.LEGAL_AID,
        Partner.Relationship.FORMAL,
        True,
        ["en", "es", "vi"],
        "3301 Kensington Ave, Philadelphia, PA 19134",
        "Free civil legal help: evictions, debt, family law. Phone intake Mon-Fri 9-1.",
        True,
    ),
    (
        "St. Brigid Parish Food Pantry",
        PartnerKind.FOOD,
        Partner.Relationship.AD_HOC,
        True,
        ["en", "es"],
        "2418 E Allegheny Ave, Philadelphia, PA 19134",
        "Open Wednesdays 10-1 and Saturdays 9-11. No ID needed; bring bags.",
        True,
    ),
    (
        "Fairhill Community Food Cupboard",
        PartnerKind.FOOD,
        Partner.Relationship.FORMAL,
        True,
        ["en", "es", "ht"],
        "2930 N 4th St, Philadelphia, PA 19133",
        "Fresh produce on Fridays. Home delivery for patients who cannot travel, by CHW referral.",
        True,
    ),
    (
        "Kensington Housing Counseling Center",
        PartnerKind.HOUSING,
        Partner.Relationship.FORMAL,
        None,
        ["en", "es"],
        "1801 E Lehigh Ave, Philadelphia, PA 19125",
        "HUD-approved counselors: rent and mortgage help, tenant rights, applications for "
        "affordable units. First appointment in about two weeks.",
        True,
    ),
    (
        "Riverside Behavioral Health Clinic",
        PartnerKind.BEHAVIORAL_HEALTH,
        Partner.Relationship.FORMAL,
        True,
        ["en", "es", "vi", "ar"],
        "4400 N Front St, Philadelphia, PA 19140",
        "Walk-in intake Mon-Thu 8-11. Sliding-scale fees; counselors and a psychiatrist.",
        True,
    ),
    (
        "Eastside Benefits Enrollment Office",
        PartnerKind.BENEFITS,
        Partner.Relationship.FORMAL,
        None,
        ["en", "es", "zh", "ru"],
        "Eastside Health Center, lobby, 1200 N 5th St, Philadelphia, PA 19122",
        "Help applying for SNAP, Medicaid, LIHEAP and SSI. Bring ID and proof of income "
        "if the patient has them.",
        True,
    ),
    (
        "RideWell Medical Transportation",
        PartnerKind.TRANSPORTATION,
        Partner.Relationship.AD_HOC,
        None,
        ["en", "es"],
        "",
        "Free rides to medical appointments for Medicaid members; book three business days ahead.",
        True,
    ),
    (
        "Unity Immigrant Community Center",
        PartnerKind.OTHER,
        Partner.Relationship.FORMAL,
        True,
        ["en", "es", "ar", "fr", "so", "ne"],
        "5230 N 5th St, Philadelphia, PA 19120",
        "English classes, job readiness, interpreters and a weekly women's group. Staff "
        "speak many languages.",
        True,
    ),
    (
        "Lakay Haitian Community Resource Center",
        PartnerKind.OTHER,
        Partner.Relationship.AD_HOC,
        True,
        ["en", "ht", "fr"],
        "6001 N 5th St, Philadelphia, PA 19120",
        "Kreyòl-speaking staff; help with forms, senior lunches and community events.",
        True,
    ),
    (
        "Harbor Light Rental Assistance Fund",
        PartnerKind.HOUSING,
        Partner.Relationship.AD_HOC,
        None,
        ["en"],
        "",
        "Closed to new applications until the next funding round.",
        False,
    ),
]

INTAKE_SHARE = 0.85  # enrollments that ran with an intake on file
NO_GOAL_SHARE = 0.06  # enrollments that ran where no goal was ever written down
# Day after enrolling on which the first goal is set (0..20): most within two weeks.
FIRST_GOAL_DAY_WEIGHTS = [8] + [6] * 7 + [4] * 7 + [2.5] * 6
GOAL_COUNT_WEIGHTS = {1: 45, 2: 38, 3: 17}
CATEGORY_WEIGHTS = {
    Category.CHRONIC_DISEASE: 30,
    Category.MENTAL_HEALTH: 10,
    Category.HOUSING: 12,
    Category.FOOD: 10,
    Category.INCOME: 9,
    Category.LEGAL: 5,
    Category.TRANSPORTATION: 6,
    Category.SOCIAL_SUPPORT: 7,
    Category.NAVIGATION: 8,
    Category.OTHER: 3,
}
ACTIVE_GOAL_CLOSED_SHARE = 0.15  # goals of active enrollments already closed
# Outcomes of the goals of an enrollment that closed, and how often each comes up.
CLOSING_OUTCOMES = {
    Status.GRADUATED: {
        GoalStatus.ACHIEVED: 50,
        GoalStatus.PARTLY_ACHIEVED: 25,
        GoalStatus.NOT_ACHIEVED: 12,
        GoalStatus.DROPPED: 13,
    },
    Status.WITHDRAWN: {
        GoalStatus.ACHIEVED: 8,
        GoalStatus.PARTLY_ACHIEVED: 15,
        GoalStatus.NOT_ACHIEVED: 27,
        GoalStatus.DROPPED: 50,
    },
}
REFERRAL_SHARE = 0.27  # goals with a referral step
LINK_SHARE = 0.55  # reached contacts that worked on a goal


@dataclass(frozen=True)
class GoalText:
    """A goal as patients say it, with the ages and languages it suits."""

    statement: str
    condition: str = ""
    min_age: int = 0
    max_age: int = 200
    non_english_only: bool = False


# fmt: off
GOALS = {
    Category.CHRONIC_DISEASE: [
        GoalText("I want to get my blood pressure under control so I can play with my "
                 "grandkids", "High blood pressure", min_age=45),
        GoalText("Get my sugar down so I don't end up like my father", "Type 2 diabetes",
                 min_age=30),
        GoalText("I want to stop ending up in the ER for my asthma", "Asthma"),
        GoalText("Take my pills every day without missing", "High blood pressure"),
        GoalText("Be able to walk to church without getting out of breath", "Heart failure",
                 min_age=50),
        GoalText("Lose some weight so my knees stop hurting"),
        GoalText("Understand my insulin and stop being scared of it", "Type 2 diabetes"),
        GoalText("Keep my A1c under 8 and stay out of the hospital", "Type 2 diabetes"),
        GoalText("Quit smoking before my daughter's wedding", "COPD", min_age=40),
        GoalText("Keep my kidneys working as long as I can", "Chronic kidney disease",
                 min_age=40),
    ],
    Category.MENTAL_HEALTH: [
        GoalText("Sleep through the night again"),
        GoalText("I want to feel like myself again and get out of the house", "Depression"),
        GoalText("Talk to someone about losing my son", min_age=40),
        GoalText("Stop having panic attacks on the bus", "Anxiety"),
        GoalText("Have more good days than bad days", "Depression"),
    ],
    Category.HOUSING: [
        GoalText("Find a place to live that my kids and I can afford", max_age=64),
        GoalText("Get the landlord to fix the heat before winter"),
        GoalText("Catch up on the back rent so we don't get evicted"),
        GoalText("Move somewhere without stairs", min_age=55),
        GoalText("Get rid of the mold in the kids' bedroom", max_age=60),
    ],
    Category.FOOD: [
        GoalText("Have enough food at the end of the month"),
        GoalText("Cook healthier meals for my family on my budget"),
        GoalText("Get my SNAP back after it was cut off"),
        GoalText("Learn to cook food that's good for my sugar", "Type 2 diabetes"),
    ],
    Category.INCOME: [
        GoalText("Get back to work", max_age=64),
        GoalText("Apply for disability so I can pay my bills", min_age=30, max_age=65),
        GoalText("Pay off the electric bill before they shut it off"),
        GoalText("Find a job with day hours so I can be home with my kids", max_age=55),
        GoalText("Make my Social Security check last the whole month", min_age=62),
    ],
    Category.LEGAL: [
        GoalText("Fight the eviction notice and keep my apartment"),
        GoalText("Sort out custody of my grandson", min_age=45),
        GoalText("Get the hospital bill fixed; they charged me twice"),
        GoalText("Appeal the disability denial", min_age=30, max_age=66),
    ],
    Category.TRANSPORTATION: [
        GoalText("Get to all my appointments without missing any"),
        GoalText("Learn the bus route to the new clinic"),
        GoalText("Get rides to dialysis that show up on time", "Chronic kidney disease",
                 min_age=40),
    ],
    Category.SOCIAL_SUPPORT: [
        GoalText("Make some friends in the neighborhood"),
        GoalText("Not feel so alone since my partner passed", min_age=55),
        GoalText("Get back to church on Sundays"),
        GoalText("Spend more time with my grandkids", min_age=45),
    ],
    Category.NAVIGATION: [
        GoalText("Find a primary care doctor I trust"),
        GoalText("Understand what all my medicines are for"),
        GoalText("Keep my Medicaid from lapsing"),
        GoalText("Get the specialist appointment my doctor wanted"),
        GoalText("Find a doctor who speaks my language", non_english_only=True),
    ],
    Category.OTHER: [
        GoalText("Learn English so I can talk to my doctor myself", non_english_only=True),
        GoalText("Get my GED", max_age=50),
        GoalText("Get a phone that works so people can reach me"),
    ],
}
# fmt: on

# Steps toward a goal of each category: (description, who does it, support type).
STEPS = {
    Category.CHRONIC_DISEASE: [
        (
            "Check blood pressure every morning and write it in the log",
            Owner.PATIENT,
            Support.COACHING,
        ),
        ("Bring the log to the next clinic visit", Owner.PATIENT, Support.COACHING),
        (
            "Call the clinic to book a follow-up with the primary care doctor",
            Owner.CHW,
            Support.NAVIGATION,
        ),
        ("Pick up the refills at the pharmacy", Owner.PATIENT, Support.COACHING),
        ("Set up a weekly pill box together", Owner.CHW, Support.COACHING),
        ("Walk 15 minutes after dinner, three times a week", Owner.PATIENT, Support.COACHING),
        ("Ask a family member to walk together on weekends", Owner.PATIENT, Support.SOCIAL_SUPPORT),
        ("Go together to the diabetes education class", Owner.CHW, Support.SOCIAL_SUPPORT),
        ("Ask the doctor about a cheaper inhaler or pill", Owner.CHW, Support.ADVOCACY),
        ("Write down questions for the doctor before the visit", Owner.PATIENT, Support.COACHING),
    ],
    Category.MENTAL_HEALTH: [
        ("Keep the same bedtime for a week", Owner.PATIENT, Support.COACHING),
        ("Call a friend or family member twice a week", Owner.PATIENT, Support.SOCIAL_SUPPORT),
        ("Tell the primary care doctor how the mood has been", Owner.PATIENT, Support.NAVIGATION),
        ("Go for a short walk every morning", Owner.PATIENT, Support.COACHING),
        (
            "Book a visit with the clinic's behavioral health consultant",
            Owner.CHW,
            Support.NAVIGATION,
        ),
        ("Find a support group that meets nearby", Owner.CHW, Support.SOCIAL_SUPPORT),
    ],
    Category.HOUSING: [
        (
            "Gather the lease, ID and proof of income for the application",
            Owner.PATIENT,
            Support.NAVIGATION,
        ),
        ("Fill out the housing application together", Owner.CHW, Support.NAVIGATION),
        (
            "Write to the landlord about the repairs and keep a copy",
            Owner.PATIENT,
            Support.ADVOCACY,
        ),
        ("Call the landlord together about the broken heat", Owner.CHW, Support.ADVOCACY),
        ("Apply for the city's rent assistance online", Owner.CHW, Support.NAVIGATION),
        ("Visit two apartments on the list", Owner.PATIENT, Support.COACHING),
    ],
    Category.FOOD: [
        (
            "Make a shopping list with the budget before going to the store",
            Owner.PATIENT,
            Support.COACHING,
        ),
        ("Fill out the SNAP renewal together", Owner.CHW, Support.NAVIGATION),
        ("Try one new recipe from the clinic's cooking handout", Owner.PATIENT, Support.COACHING),
        (
            "Ask a neighbor about sharing rides to the grocery store",
            Owner.PATIENT,
            Support.SOCIAL_SUPPORT,
        ),
        ("Call the SNAP office about the missing benefits", Owner.CHW, Support.ADVOCACY),
    ],
    Category.INCOME: [
        ("Update the résumé at the library", Owner.PATIENT, Support.COACHING),
        ("Apply to three jobs this week", Owner.PATIENT, Support.COACHING),
        ("Call the utility company to set up a payment plan", Owner.CHW, Support.ADVOCACY),
        (
            "Ask the doctor for the letter the disability application needs",
            Owner.CHW,
            Support.NAVIGATION,
        ),
        ("Make a monthly budget together", Owner.CHW, Support.COACHING),
    ],
    Category.LEGAL: [
        ("Keep all the notices and letters in one folder", Owner.PATIENT, Support.COACHING),
        ("Call the hospital billing office about the double charge", Owner.CHW, Support.ADVOCACY),
        ("Write down what happened and when", Owner.PATIENT, Support.COACHING),
        ("Go together to the hearing", Owner.CHW, Support.SOCIAL_SUPPORT),
    ],
    Category.TRANSPORTATION: [
        ("Practice the bus route to the clinic together", Owner.CHW, Support.COACHING),
        ("Apply for the reduced-fare transit card", Owner.CHW, Support.NAVIGATION),
        ("Save the ride service's number in the phone", Owner.PATIENT, Support.COACHING),
        (
            "Ask a family member to drive to the next appointment",
            Owner.PATIENT,
            Support.SOCIAL_SUPPORT,
        ),
    ],
    Category.SOCIAL_SUPPORT: [
        ("Go to the senior center lunch on Wednesday", Owner.PATIENT, Support.SOCIAL_SUPPORT),
        ("Call a family member once a week", Owner.PATIENT, Support.SOCIAL_SUPPORT),
        ("Find a faith community or group nearby", Owner.CHW, Support.SOCIAL_SUPPORT),
        ("Go together to the first group meeting", Owner.CHW, Support.SOCIAL_SUPPORT),
    ],
    Category.NAVIGATION: [
        ("Bring all the medicine bottles to the next visit", Owner.PATIENT, Support.COACHING),
        ("Find a primary care doctor taking new patients", Owner.CHW, Support.NAVIGATION),
        ("Renew Medicaid before the deadline", Owner.CHW, Support.NAVIGATION),
        (
            "Book the specialist appointment and ask for an interpreter",
            Owner.CHW,
            Support.NAVIGATION,
        ),
        ("Ask the pharmacist to explain each medicine", Owner.PATIENT, Support.COACHING),
    ],
    Category.OTHER: [
        ("Sign up for classes at the library", Owner.PATIENT, Support.COACHING),
        ("Look up programs nearby together", Owner.CHW, Support.NAVIGATION),
        ("Ask a friend to help practice", Owner.PATIENT, Support.SOCIAL_SUPPORT),
    ],
}

# Referrals that fit a goal of each category: (kind of partner, what the referral is for).
REFERRALS = {
    Category.CHRONIC_DISEASE: [
        (PartnerKind.FOOD, "Sign up for the fresh produce delivery"),
        (PartnerKind.TRANSPORTATION, "Book rides to the specialist visits"),
    ],
    Category.MENTAL_HEALTH: [
        (PartnerKind.BEHAVIORAL_HEALTH, "Go to walk-in intake at the behavioral health clinic"),
        (PartnerKind.BEHAVIORAL_HEALTH, "Book a first visit with a counselor"),
    ],
    Category.HOUSING: [
        (PartnerKind.HOUSING, "Meet a housing counselor about the back rent"),
        (PartnerKind.HOUSING, "Apply for an affordable unit with the housing counselor"),
        (PartnerKind.MEDICAL_LEGAL, "See the lawyer about the landlord not making repairs"),
    ],
    Category.FOOD: [
        (PartnerKind.FOOD, "Register at the food pantry and pick up a first box"),
        (PartnerKind.BENEFITS, "Apply for SNAP with the benefits office"),
    ],
    Category.INCOME: [
        (PartnerKind.BENEFITS, "Apply for LIHEAP heating help"),
        (PartnerKind.LEGAL_AID, "Get advice from legal aid about the debt collectors"),
        (PartnerKind.OTHER, "Join the job readiness class at the community center"),
    ],
    Category.LEGAL: [
        (PartnerKind.MEDICAL_LEGAL, "Meet the medical-legal team about the appeal"),
        (PartnerKind.LEGAL_AID, "Call legal aid intake about the notice"),
    ],
    Category.TRANSPORTATION: [
        (PartnerKind.TRANSPORTATION, "Sign up for free medical rides"),
    ],
    Category.SOCIAL_SUPPORT: [
        (PartnerKind.OTHER, "Join the weekly group at the community center"),
        (PartnerKind.BEHAVIORAL_HEALTH, "Join the grief support group at the clinic"),
    ],
    Category.NAVIGATION: [
        (PartnerKind.BENEFITS, "Renew Medicaid with the benefits office"),
        (PartnerKind.OTHER, "Get help with forms at the community center"),
    ],
    Category.OTHER: [
        (PartnerKind.OTHER, "Sign up for classes at the community center"),
    ],
}
STEP_NOTES = [
    "Prefers to do this one without help.",
    "Rescheduled once because of a doctor's appointment.",
    "A daughter will help with the online form.",
    "Called twice; waiting for a call back.",
    "Done ahead of time, and proud of it.",
    "Mornings work best; afternoons are busy with the grandkids.",
]
REFERRAL_NOTES = [
    "The partner confirmed they received the referral.",
    "Gave the patient the partner's number and opening hours.",
    "Called the partner together from the patient's kitchen.",
    "Waiting list of about two weeks.",
]

# The "get to know you" conversation: (text, youngest, oldest) it suits.
LIFE_STORIES = [
    ("Grew up in Kensington and raised three children here; now looks after two "
     "grandchildren after school.", 45, 200),
    ("Worked twenty years in a warehouse until a back injury. Misses working and the "
     "friends from the job.", 35, 200),
    ("Lives with a sister and her family. Likes to cook for everyone on Sundays.", 0, 200),
    ("Moved to Philadelphia to be near a daughter after a divorce; still getting to know "
     "the neighborhood.", 40, 200),
    ("Cared for a mother with dementia for five years until she passed last spring. Tired, "
     "and only now thinking about their own health.", 35, 200),
    ("Drives for a delivery app and works long hours. Two teenagers at home.", 30, 60),
    ("Retired school bus driver. Very active in church and sings in the choir.", 60, 200),
    ("Lost an apartment last year when the building was sold; staying with a cousin since.",
     0, 200),
    ("A grown son calls every day. Loves gardening and keeps tomatoes on the back step.",
     50, 200),
    ("Works nights cleaning offices and sleeps in the mornings.", 0, 66),
    ("Former cook at a diner. Diabetes was found at an ER visit last year and it scared the "
     "whole family.", 30, 200),
    ("Single parent of a six-year-old with asthma; taking community college classes when "
     "there is time.", 0, 45),
    ("Talks with a neighbor every morning on the stoop; that neighbor brought them to the "
     "clinic.", 0, 200),
    ("Spent a long career as a home health aide and is now on the other side of the care.",
     55, 200),
]  # fmt: skip
PRIORITIES = [
    "Staying out of the hospital.",
    "Keeping the apartment.",
    "Being there for the family.",
    "Getting the sugar under control before it gets worse.",
    "Paying the bills this month.",
    "Feeling less tired and less down.",
    "Getting back on their feet and back to work.",
    "Making sure the kids have enough to eat.",
    "Understanding what the doctors are saying.",
    "Getting the heat fixed before winter.",
]
WHAT_WILL_HELP = [
    "Someone to go along to appointments and help ask questions.",
    "Reminders by text; calls are hard during work hours.",
    "Help with forms: the letters are confusing.",
    "Walking more and eating less fried food.",
    "A steady place to live.",
    "Talking to someone who understands.",
    "Rides to the clinic.",
    "Medicines at a price they can afford.",
    "Having the family involved in the plan.",
]
STRENGTHS = [
    "Close to family; a daughter lives two blocks away.",
    "Strong faith and a caring church community.",
    "Very organized: keeps every letter in a folder.",
    "Good sense of humor, even on hard days.",
    "Knows the neighborhood and its resources well.",
    "Determined: quit smoking once before, for three years.",
    "A good cook who enjoys feeding others.",
    "Reliable: comes to every appointment.",
    "Resourceful; has come through hard times before.",
    "Patient with the process and asks good questions.",
]
# The needs screen question that goes with each goal category.
NEED_FOR_CATEGORY = {
    Category.HOUSING: "need_housing",
    Category.FOOD: "need_food",
    Category.INCOME: "need_income",
    Category.LEGAL: "need_legal",
    Category.TRANSPORTATION: "need_transportation",
    Category.MENTAL_HEALTH: "need_behavioral_health",
    Category.SOCIAL_SUPPORT: "need_social_support",
    Category.NAVIGATION: "need_navigation",
}


@dataclass
class Plan:
    """What one patient's enrollments will look like, decided before any row is written."""

    language: str
    chw: str
    status: str
    past_end: bool = False
    lapsed: bool = False
    prior_declined: bool = False
    patient: Patient | None = None
    enrollments: list[Enrollment] = field(default_factory=list)


@audit.audited_command
class Command(BaseCommand):
    help = (
        "Create a demo program with teams, staff, about 200 patients, nine months of "
        "enrollments and encounters, partners, intakes, goals and action steps. Refuses to "
        "touch a database that already has programs or users unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Delete ALL programs, users, patients, enrollments, encounters, partners, "
                "intakes, goals and action steps first (and anything that depends on "
                "them), then seed."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only when the database has no programs or users; otherwise say so "
            "and exit successfully (what `make run` uses).",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "large"],
            default="demo",
            help="demo (default): the small program above. large: the demo program plus "
            '"Metro Health CHW Network": 40 teams, 400 CHWs, 20,000 active and 60,000 closed '
            "enrollments, 2,000,000 encounters (for benchmarks; a few minutes on SQLite).",
        )

    def handle(self, *args, seed: int, force: bool, if_empty: bool, scale: str, **options):
        has_data = Program.objects.exists() or User.objects.exists()
        if if_empty and has_data and not force:
            self.stdout.write(
                "The database already has data: demo data not loaded "
                "(start over with: python manage.py seed_demo --force)."
            )
            return
        if not force and has_data:
            raise CommandError(
                "The database already has programs or users; seed_demo only fills an empty "
                "database. Run it again with --force to delete all programs, users and "
                "patient records first and seed the demo from scratch."
            )
        with transaction.atomic():
            if force:
                self._wipe()
            summary = Seeder(random.Random(seed)).run()
        self._report(summary, seed)
        if scale == "large":
            began = time.perf_counter()
            with transaction.atomic():
                large = seed_large(seed=seed)
            self.stdout.write(
                f'Seeded "{large["program"].name}" in {time.perf_counter() - began:.0f} s: '
                f"{large['teams']} teams, {large['chws']} CHWs, {large['active']:,} active and "
                f"{large['closed']:,} closed enrollments, {large['encounters']:,} encounters, "
                f"{large['goals']:,} goals, {large['steps']:,} steps, {large['alerts']:,} alerts "
                f"opened, {large['snapshots']} burnout snapshots. Sign in as metro-chw001 … "
                "metro-chw400, metro-manager01 … metro-manager40 or metro-leader (password "
                f"{DEMO_PASSWORD})."
            )

    # -- deleting -------------------------------------------------------------------------

    def _wipe(self) -> None:
        """Delete the demo's rows, children first (foreign keys here are PROTECT).

        The deletions keep their history: every audited row is copied to its historical
        table as deleted first, in one query per table, then the rows are deleted without
        simple-history's row-by-row signal (the same history, a hundred times faster)."""
        for model in audit.history_models():
            audit.copy_to_history(model._base_manager.all(), history_type="-")
        with audit.signal_history_off():
            self._delete_all()

    def _delete_all(self) -> None:
        for model in (
            ExportJob,
            ApiToken,
            UtilizationRecord,
            UtilizationImport,
            CostLine,
            FundingSource,
            ComponentRating,
            FidelityReview,
            ImplementationNote,
            Alert,
            SweepRun,
            BurnoutSnapshot,
            FollowUp,
            SupervisionSession.enrollments_discussed.through,
            SupervisionSession.others_present.through,
            SupervisionSession,
            WellbeingCheckIn,
            TimeOff,
            TrainingRecord,
            ActionStep,  # PROTECTs its goal and its partner
            Encounter.goals.through,
            Goal,
            Intake,
            Encounter,
            EnrollmentReassignment,
            Enrollment,
            Patient,
            User,  # a team's manager and a member's team are SET_NULL
            Team,
            Partner,
            Program,
        ):
            _purge(model._base_manager.all())

    # -- reporting ------------------------------------------------------------------------

    def _report(self, summary: dict, seed: int) -> None:
        out = self.stdout
        program = summary["program"]
        statuses = summary["statuses"]
        out.write(f'Seeded "{program.name}" (seed {seed}, program today {summary["today"]}).')
        out.write(f"  Teams: {summary['teams']}")
        out.write(
            f"  Users: {summary['users']} "
            f"({', '.join(f'{n} {role}' for role, n in summary['roles'].items())})"
        )
        out.write(f"  Patients: {summary['patients']} ({summary['languages']} languages)")
        out.write(
            f"  Enrollments: {summary['enrollments']} "
            f"({', '.join(f'{n} {status}' for status, n in statuses.items())})"
        )
        out.write(
            f"    active past planned end: {summary['past_end']}; "
            f"active with no reached contact in {program.contact_interval_days} days: "
            f"{summary['stale']}"
        )
        out.write(
            f"  Encounters: {summary['encounters']} "
            f"(after hours {summary['after_hours']}, after end {summary['after_end']})"
        )
        out.write(
            f"  Partners: {summary['partners']} ({summary['partners_active']} accepting referrals)"
        )
        out.write(f"  Intakes: {summary['intakes']}")
        early, begun = summary["goals_early"]
        share = f"{early / begun:.0%}" if begun else "no data"
        out.write(
            f"  Goals: {summary['goals']} ({_counts(summary['goal_statuses'], Goal.Status)}); "
            f"closed this quarter: {summary['goals_closed_this_quarter']}"
        )
        out.write(
            f"    enrollments with a goal within {GOAL_WINDOW_DAYS} days of enrolling: "
            f"{early} of {begun} ({share})"
        )
        out.write(
            f"  Action steps: {summary['steps']} "
            f"({_counts(summary['step_statuses'], ActionStep.Status)}); "
            f"overdue on active enrollments: {summary['overdue_steps']}"
        )
        out.write(
            f"  Referrals: {summary['referrals']} "
            f"({_counts(summary['referral_outcomes'], ActionStep.Outcome)})"
        )
        out.write(f"  Encounter-goal links: {summary['goal_links']}")
        sup = summary["supervision"]
        out.write(
            f"  Supervision: {sup['sessions']} sessions, {sup['follow_ups']} follow-ups, "
            f"{sup['check_ins']} check-ins, {sup['time_off']} time off, "
            f"{sup['trainings']} trainings"
        )
        out.write(
            "    burnout risk today: "
            + ", ".join(f"{name} {level} ({n})" for name, (level, n) in sup["levels"].items())
        )
        out.write(
            f"  Fidelity: {summary['fidelity']['reviews']} quarterly reviews (the latest a "
            f"draft), {summary['fidelity']['log']} implementation-log entries"
        )
        money = summary["money"]
        out.write(
            f"  Money: {money['cost_lines']} cost lines, {money['funding_sources']} funding "
            f"sources (one ending within 90 days), {money['utilization']} admissions and ED "
            "visits for the cohort"
        )
        alerts = summary["alerts"]
        out.write(
            f"  Open alerts after the last two weeks' sweeps: {sum(alerts.values())} "
            f"({', '.join(f'{n} {kind}' for kind, n in sorted(alerts.items()))})"
        )
        out.write(f"  Active caseloads (cap {program.caseload_cap}):")
        for username, count in summary["caseloads"].items():
            over = "  over cap" if count > program.caseload_cap else ""
            out.write(f"    {username:<10}{count:>4}{over}")
        out.write("")
        out.write("Demo logins:")
        rows = [("username", "role", "team", "password")] + [
            (user.username, user.role, user.team.name if user.team else "-", DEMO_PASSWORD)
            for user in summary["logins"]
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            out.write(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )


def _counts(counter: Counter, choices) -> str:
    """ "12 active, 3 achieved": a Counter in the order of the model's choices."""
    return ", ".join(f"{counter[value]} {value}" for value in choices.values if counter[value])


def _purge(queryset, depth: int = 0) -> None:
    """Delete `queryset`, first deleting rows (of any app) whose PROTECT keys block it."""
    for _attempt in range(20):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            if depth >= 8:
                raise CommandError(f"Could not delete the existing data: {error}") from error
            blockers = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            by_model: dict[type, set] = defaultdict(set)
            for row in blockers:
                by_model[type(row)].add(row.pk)
            for model, pks in by_model.items():
                _purge(model._base_manager.filter(pk__in=pks), depth + 1)
    raise CommandError("Could not delete the existing data: too many dependent rows.")


class Seeder:
    """Builds the demo rows from one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()

    def run(self) -> dict:
        self.program = program = Program.objects.create(
            name=PROGRAM_NAME,
            variant=Program.Variant.OUTPATIENT,
            intervention_days=180,
            caseload_cap=30,
            contact_interval_days=14,
            time_zone="America/New_York",
            institution_type=Program.InstitutionType.FQHC,
            region="Philadelphia, PA",
            stage=Program.Stage.IMPLEMENTATION,
        )
        self.today = program.today()
        self.phones = self._phone_pool()

        teams = Team.objects.bulk_create([Team(program=program, name=name) for name in TEAM_NAMES])
        users = self._users(teams)
        by_name = {user.username: user for user in users}
        for team, username in zip(teams, ["manager1", "manager2"], strict=True):
            team.manager = by_name[username]
        Team.objects.bulk_update(teams, ["manager"])

        plans = self._plans()
        self._patients(plans, by_name)
        enrollments = self._enrollments(plans, by_name)
        encounters = self._encounters(plans)
        layer = self._action_plans(plans, encounters)
        supervision = seed_supervision(program, {team.pk: team.manager for team in teams}, self.rng)
        fidelity = seed_fidelity(program, teams[0].manager)
        # The daily sweeps of the last two weeks, so alerts have their real age (some go
        # unacknowledged for over 7 days, which the manager's board shows in red).
        for days_ago in (14, 10, 7, 3, 1):
            alerts_sweep(program=program, day=self.today - dt.timedelta(days=days_ago))
        alerts_sweep(program=program)
        self._acknowledge_some()
        # Last, so adding the money layer left the rest of the demo as it was.
        money = seed_money(program, self.rng)

        active = [e for e in enrollments if e.status == Status.ENROLLED]
        cutoff = self.today - dt.timedelta(days=program.contact_interval_days - 1)
        last_contact: dict[int, dt.date] = {}
        for encounter in encounters:
            if encounter.reached and encounter.kind not in Encounter.NON_CONTACT_KINDS:
                day = program.local_date(encounter.occurred_at)
                key = encounter.enrollment_id
                last_contact[key] = max(day, last_contact.get(key, day))
        stale = sum(
            1
            for e in active
            if e.enrolled_on <= self.today - dt.timedelta(days=program.contact_interval_days)
            and last_contact.get(e.pk, dt.date.min) < cutoff
        )
        caseloads = Counter(e.chw.username for e in active)
        goals, steps = layer["goals"], layer["steps"]
        active_ids = {e.pk for e in active}
        begun = [
            e
            for e in enrollments
            if e.status in Enrollment.RAN_STATUSES
            and e.enrolled_on <= self.today - dt.timedelta(days=GOAL_WINDOW_DAYS)
        ]
        early = {
            goal.enrollment_id
            for goal in goals
            if goal.set_on <= goal.enrollment.enrolled_on + dt.timedelta(days=GOAL_WINDOW_DAYS)
        }
        referrals = [step for step in steps if step.partner_id is not None]
        return {
            "program": program,
            "today": self.today,
            "teams": len(teams),
            "users": len(users),
            "roles": Counter(user.role for user in users),
            "patients": len(plans),
            "languages": len({plan.language for plan in plans}),
            "enrollments": len(enrollments),
            "statuses": Counter(e.status for e in enrollments),
            "past_end": sum(1 for e in active if e.planned_end_on < self.today),
            "stale": stale,
            "encounters": len(encounters),
            "after_hours": sum(1 for e in encounters if e.after_hours),
            "after_end": sum(1 for e in encounters if e.after_end),
            "caseloads": {name: caseloads[name] for name in ACTIVE_CASELOAD},
            "partners": len(layer["partners"]),
            "partners_active": sum(1 for partner in layer["partners"] if partner.is_active),
            "intakes": len(layer["intakes"]),
            "goals": len(goals),
            "goal_statuses": Counter(goal.status for goal in goals),
            "goals_early": (sum(1 for e in begun if e.pk in early), len(begun)),
            "goals_closed_this_quarter": sum(
                1
                for goal in goals
                if goal.closed_on and goal.closed_on >= quarter_start(self.today)
            ),
            "steps": len(steps),
            "step_statuses": Counter(step.status for step in steps),
            "overdue_steps": sum(
                1
                for step in steps
                if step.is_overdue(self.today) and step.goal.enrollment_id in active_ids
            ),
            "referrals": len(referrals),
            "referral_outcomes": Counter(step.referral_outcome for step in referrals),
            "goal_links": len(layer["links"]),
            "supervision": supervision,
            "fidelity": fidelity,
            "money": money,
            "alerts": Counter(
                Alert.objects.filter(status__in=Alert.UNRESOLVED).values_list("kind", flat=True)
            ),
            "logins": users,
        }

    def _acknowledge_some(self) -> None:
        """CHWs have acknowledged most older alerts with a note; some they have not."""
        notes = [
            "Left a voicemail; trying again Thursday.",
            "Handoff visit booked with the clinic nurse.",
            "Talked it over in supervision.",
            "Texted in Spanish; waiting for a reply.",
        ]
        older = Alert.objects.filter(
            status=Alert.Status.OPEN, opened_on__lt=self.today - dt.timedelta(days=7)
        ).order_by("pk")
        chosen = [alert for alert in older if self.rng.random() < 0.6]
        for alert in chosen:
            alert.status = Alert.Status.ACKNOWLEDGED
            alert.acknowledged_by_id = alert.chw_id
            alert.acknowledged_at = timezone.now()
            alert.note = self.rng.choice(notes)
        audit.bulk_update(
            Alert, chosen, ["status", "acknowledged_by", "acknowledged_at", "note"], batch_size=500
        )

    # -- action plans ---------------------------------------------------------------------

    def _action_plans(self, plans: list[Plan], encounters: list[Encounter]) -> dict:
        """Partners, intakes, goals, steps and the encounters that worked on each goal.

        Drawn after the encounters, so adding this layer left the rest of the data as it
        was; the links to encounters come last because today's encounters depend on the
        time of day (see ``_add``)."""
        rng = self.rng
        partners = self._partners()
        accepting: dict[str, list[Partner]] = defaultdict(list)
        for partner in partners:
            if partner.is_active:
                accepting[partner.kind].append(partner)

        intakes: list[Intake] = []
        goals: list[Goal] = []
        for plan in plans:
            for enrollment in plan.enrollments:
                if enrollment.status not in Enrollment.RAN_STATUSES:
                    continue
                count = rng.choices(list(GOAL_COUNT_WEIGHTS), list(GOAL_COUNT_WEIGHTS.values()))[0]
                categories = self._categories(count)
                if rng.random() < INTAKE_SHARE:
                    intakes.append(self._intake(enrollment, plan, categories))
                goals += self._goals(enrollment, plan, categories)
        audit.bulk_create(Intake, intakes)
        audit.bulk_create(Goal, goals)

        lapsed = {e.pk for plan in plans if plan.lapsed for e in plan.enrollments}
        steps: list[ActionStep] = []
        for goal in goals:
            steps += self._steps(goal, goal.enrollment.pk in lapsed, accepting)
        audit.bulk_create(ActionStep, steps)

        links = self._goal_links(goals, encounters)
        return {
            "partners": partners,
            "intakes": intakes,
            "goals": goals,
            "steps": steps,
            "links": links,
        }

    def _partners(self) -> list[Partner]:
        rows = [
            Partner(
                program=self.program,
                name=name,
                kind=kind,
                relationship=relationship,
                serves_regardless_of_status=regardless,
                languages=languages,
                address=address,
                notes=notes,
                is_active=active,
                phone=self.phones.pop(),
            )
            for name, kind, relationship, regardless, languages, address, notes, active in PARTNERS
        ]
        return audit.bulk_create(Partner, rows)

    def _categories(self, count: int) -> list[str]:
        """`count` different goal categories, the common ones more often."""
        categories, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
        chosen: list[str] = []
        while len(chosen) < count:
            category = self.rng.choices(categories, weights)[0]
            if category not in chosen:
                chosen.append(category)
        return chosen

    def _age(self, patient: Patient) -> int:
        born = patient.date_of_birth
        return (
            self.today.year
            - born.year
            - ((self.today.month, self.today.day) < (born.month, born.day))
        )

    def _intake(self, enrollment: Enrollment, plan: Plan, categories: list[str]) -> Intake:
        rng = self.rng
        age = self._age(plan.patient)
        stories = [text for text, low, high in LIFE_STORIES if low <= age <= high]
        recorded_on = min(self.today, enrollment.enrolled_on + dt.timedelta(days=rng.randint(0, 7)))
        intake = Intake(
            enrollment=enrollment,
            life_story=rng.choice(stories) if rng.random() < 0.85 else "",
            priorities=rng.choice(PRIORITIES) if rng.random() < 0.95 else "",
            what_will_help=rng.choice(WHAT_WILL_HELP) if rng.random() < 0.9 else "",
            strengths=rng.choice(STRENGTHS) if rng.random() < 0.9 else "",
            recorded_on=recorded_on,
            recorded_by=enrollment.chw,
        )
        skipped_screen = rng.random() < 0.08  # the patient chose not to do the needs screen
        wanted = {NEED_FOR_CATEGORY.get(category) for category in categories}
        if Category.CHRONIC_DISEASE in categories and rng.random() < 0.4:
            wanted.add("need_navigation")
        for name, _label in Intake.NEEDS:
            if name in wanted:
                answer = rng.choices([True, None], [9, 1])[0]
            else:
                answer = rng.choices([False, None, True], [60, 25, 15])[0]
            setattr(intake, name, None if skipped_screen else answer)
        return intake

    def _goals(self, enrollment: Enrollment, plan: Plan, categories: list[str]) -> list[Goal]:
        rng = self.rng
        today = self.today
        if rng.random() < NO_GOAL_SHARE:
            return []
        age = self._age(plan.patient)
        english = plan.language == "en"
        last_day = min(today, enrollment.closed_on or today)
        first = rng.choices(range(len(FIRST_GOAL_DAY_WEIGHTS)), FIRST_GOAL_DAY_WEIGHTS)[0]
        out = []
        for index, category in enumerate(categories):
            offset = first if index == 0 else rng.randint(first, len(FIRST_GOAL_DAY_WEIGHTS) - 1)
            texts = [
                text
                for text in GOALS[category]
                if text.min_age <= age <= text.max_age and not (english and text.non_english_only)
            ]
            text = rng.choice(texts)
            medical = category in (Category.CHRONIC_DISEASE, Category.MENTAL_HEALTH)
            with_clinician = rng.random() < (0.35 if medical else 0.05)
            set_on = enrollment.enrolled_on + dt.timedelta(days=offset)
            if set_on > last_day:
                continue  # not set yet (a recent enrollment), or the enrollment closed first
            status, closed_on = self._goal_outcome(enrollment, set_on)
            out.append(
                Goal(
                    enrollment=enrollment,
                    statement=text.statement,
                    category=category,
                    condition=text.condition,
                    set_by=Goal.SetBy.PATIENT_WITH_CLINICIAN
                    if with_clinician
                    else Goal.SetBy.PATIENT,
                    set_on=set_on,
                    status=status,
                    closed_on=closed_on,
                    created_by=enrollment.chw,
                )
            )
        return out

    def _goal_outcome(self, enrollment: Enrollment, set_on: dt.date) -> tuple[str, dt.date | None]:
        """A goal's status and closing day: goals close when the enrollment does, and a few
        of an active enrollment's goals have closed already, most of them this quarter."""
        rng = self.rng
        today = self.today
        if enrollment.status == Status.ENROLLED:
            if rng.random() >= ACTIVE_GOAL_CLOSED_SHARE:
                return GoalStatus.ACTIVE, None
            status = rng.choices(
                [GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.DROPPED], [6, 2, 2]
            )[0]
            low = max(set_on, quarter_start(today)) if rng.random() < 0.75 else set_on
            return status, low + dt.timedelta(days=rng.randint(0, (today - low).days))
        outcomes = CLOSING_OUTCOMES[enrollment.status]
        status = rng.choices(list(outcomes), list(outcomes.values()))[0]
        end = enrollment.closed_on
        if rng.random() < 0.6:
            return status, end  # reviewed at the closing visit
        return status, set_on + dt.timedelta(days=rng.randint(0, (end - set_on).days))

    def _steps(
        self, goal: Goal, lapsed: bool, accepting: dict[str, list[Partner]]
    ) -> list[ActionStep]:
        rng = self.rng
        today = self.today
        templates = list(STEPS[goal.category])
        chosen = rng.sample(templates, min(rng.randint(2, 5), len(templates)))
        referrals = [(kind, text) for kind, text in REFERRALS[goal.category] if accepting[kind]]
        referral_at = None
        if referrals and rng.random() < REFERRAL_SHARE:
            referral_at = rng.randrange(len(chosen))
            kind, text = rng.choice(referrals)
            partner = rng.choice(accepting[kind])
            owner = rng.choices([Owner.PARTNER, Owner.CHW, Owner.PATIENT], [6, 3, 1])[0]
            chosen[referral_at] = (text, owner, Support.REFERRAL, partner)
        # Steps fall between the day the goal was set and the day it closed; an open goal's
        # plan reaches a few weeks past today.
        if goal.closed_on:
            end = goal.closed_on
        else:
            end = max(
                today + dt.timedelta(days=rng.randint(7, 35)), goal.set_on + dt.timedelta(days=14)
            )
        span = (end - goal.set_on).days
        dues = sorted(
            goal.set_on + dt.timedelta(days=rng.randint(min(1, span), span)) for _ in chosen
        )
        out = []
        for index, (template, due_on) in enumerate(zip(chosen, dues, strict=True)):
            description, owner, support = template[:3]
            partner = template[3] if index == referral_at else None
            status = self._step_status(goal, due_on, lapsed)
            done_on = None
            if status == StepStatus.DONE:
                latest = min(today, goal.closed_on or today)
                done_on = due_on + dt.timedelta(days=rng.randint(-10, 4))
                done_on = max(goal.set_on, min(done_on, latest))
            step = ActionStep(
                goal=goal,
                description=description,
                owner=owner,
                support_type=support,
                partner=partner,
                due_on=due_on,
                status=status,
                done_on=done_on,
                created_by=goal.created_by,
            )
            if partner is not None:
                step.consent_to_share = rng.random() < 0.88
                step.warm_handoff = rng.random() < 0.4
                step.accompanied = rng.random() < 0.25
                step.referral_outcome = self._referral_outcome(step)
                step.notes = rng.choice(REFERRAL_NOTES) if rng.random() < 0.5 else ""
            elif rng.random() < 0.2:
                step.notes = rng.choice(STEP_NOTES)
            out.append(step)
        return out

    def _step_status(self, goal: Goal, due_on: dt.date, lapsed: bool) -> str:
        statuses = [StepStatus.DONE, StepStatus.SKIPPED, StepStatus.IN_PROGRESS, StepStatus.PLANNED]
        if goal.status == GoalStatus.ACTIVE:
            late = (self.today - due_on).days
            if late > 45:  # long past: done or given up on, unless contact lapsed
                weights = [55, 15, 10, 20] if lapsed else [82, 14, 1, 3]
            elif late > 0:  # open ones are overdue
                weights = [40, 5, 20, 35] if lapsed else [70, 6, 10, 14]
            else:
                weights = [10, 0, 25, 65]
        else:  # a closed goal leaves no open steps
            done = {
                GoalStatus.ACHIEVED: 85,
                GoalStatus.PARTLY_ACHIEVED: 55,
                GoalStatus.NOT_ACHIEVED: 30,
                GoalStatus.DROPPED: 20,
            }[goal.status]
            weights = [done, 100 - done, 0, 0]
        return self.rng.choices(statuses, weights)[0]

    def _referral_outcome(self, step: ActionStep) -> str:
        rng = self.rng
        if step.is_open and step.due_on >= self.today - dt.timedelta(days=10):
            return Outcome.PENDING
        if step.status == StepStatus.SKIPPED:
            return rng.choices(
                [Outcome.DECLINED, Outcome.NOT_CONNECTED, Outcome.NOT_ELIGIBLE], [4, 3, 3]
            )[0]
        return rng.choices(
            [
                Outcome.CONNECTED,
                Outcome.NOT_CONNECTED,
                Outcome.DECLINED,
                Outcome.NOT_ELIGIBLE,
                Outcome.PENDING,
            ],
            [60, 12, 8, 8, 12],
        )[0]

    def _goal_links(self, goals: list[Goal], encounters: list[Encounter]) -> list:
        """Tick the goals a reached contact worked on: goals of the same enrollment that
        were set, and not yet closed, on the day of the contact."""
        rng = self.rng
        Link = Encounter.goals.through
        by_enrollment: dict[int, list[Goal]] = defaultdict(list)
        for goal in goals:
            by_enrollment[goal.enrollment_id].append(goal)
        links = []
        for encounter in encounters:
            if not encounter.reached or encounter.enrollment_id not in by_enrollment:
                continue
            day = self.program.local_date(encounter.occurred_at)
            live = [
                goal
                for goal in by_enrollment[encounter.enrollment_id]
                if goal.set_on <= day and (goal.closed_on is None or day <= goal.closed_on)
            ]
            if not live or rng.random() >= LINK_SHARE:
                continue
            count = 2 if len(live) > 1 and rng.random() < 0.3 else 1
            for goal in rng.sample(live, count):
                links.append(Link(encounter_id=encounter.pk, goal_id=goal.pk))
        return Link.objects.bulk_create(links, batch_size=1000)

    # -- people ---------------------------------------------------------------------------

    def _phone_pool(self) -> list[str]:
        """Fictional Philadelphia numbers (555-0100…0199) that phonenumbers accepts."""
        pool = []
        for area in ("215", "267", "445"):
            for line in range(100, 200):
                number = f"+1{area}555{line:04d}"
                if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                    pool.append(number)
        self.rng.shuffle(pool)
        return pool

    def _users(self, teams: list[Team]) -> list[User]:
        rng = self.rng
        password = make_password(DEMO_PASSWORD)
        rows = []
        for username, first, last, role, team_index, language in STAFF:
            is_admin = role == Role.ADMIN
            rows.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@eastside-chw.example.org",
                    password=password,
                    role=role,
                    program=None if is_admin else self.program,
                    team=teams[team_index] if team_index is not None else None,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                    preferred_language=language,
                    hired_on=self.today - dt.timedelta(days=rng.randint(300, 2500)),
                    phone=self.phones.pop(),
                )
            )
        return User.objects.bulk_create(rows)

    def _plans(self) -> list[Plan]:
        """Decide every patient's language, CHW and outcome before writing anything."""
        rng = self.rng
        plans = []
        for username, count in ACTIVE_CASELOAD.items():
            plans += [Plan(language="", chw=username, status=Status.ENROLLED) for _ in range(count)]
        chws = list(ACTIVE_CASELOAD)
        for status, count in OTHER_OUTCOMES.items():
            plans += [Plan(language="", chw=rng.choice(chws), status=status) for _ in range(count)]
        rng.shuffle(plans)
        languages, weights = zip(*LANGUAGE_WEIGHTS.items(), strict=True)
        # Every language appears at least once; the rest follow the weights.
        for plan, language in zip(plans, languages, strict=False):
            plan.language = language
        for plan in plans[len(languages) :]:
            plan.language = rng.choices(languages, weights)[0]
        active = [plan for plan in plans if plan.status == Status.ENROLLED]
        boundary = [plan for plan in active if plan.chw in BOUNDARY_CHWS]
        for plan in rng.sample(boundary, ACTIVE_PAST_END):
            plan.past_end = True
        others = [plan for plan in active if not plan.past_end]
        for plan in rng.sample(others, PRIOR_DECLINED):
            plan.prior_declined = True
        for plan in active:
            plan.lapsed = rng.random() < ACTIVE_LAPSED_SHARE
        return plans

    def _patients(self, plans: list[Plan], users: dict[str, User]) -> None:
        rng = self.rng
        mrns = rng.sample(range(1_000_000, 10_000_000), len(plans))
        born_from = dt.date(1940, 1, 1)
        born_span = (dt.date(2005, 12, 31) - born_from).days
        rows = []
        for plan, mrn in zip(plans, mrns, strict=True):
            given_names, family_names = NAMES[plan.language]
            given = rng.choice(given_names)
            roll = rng.random()
            if roll < 0.1:
                race = [RaceEthnicity.DECLINED.value]
            elif roll < 0.2:
                race = []
            else:
                race = list(rng.choice(RACE_BY_LANGUAGE[plan.language]))
            rows.append(
                Patient(
                    program=self.program,
                    given_name=given,
                    family_name=rng.choice(family_names),
                    preferred_name=NICKNAMES.get(given, "") if rng.random() < 0.5 else "",
                    date_of_birth=born_from + dt.timedelta(days=rng.randint(0, born_span)),
                    mrn=f"MRN{mrn}",
                    phone=self.phones.pop() if rng.random() < 0.95 else "",
                    preferred_language=plan.language,
                    interpreter_needed=plan.language != "en" and rng.random() < 0.85,
                    zip_code=rng.choice(ZIP_CODES),
                    race_ethnicity=race,
                    created_by=users[plan.chw],
                )
            )
        for plan, patient in zip(plans, audit.bulk_create(Patient, rows), strict=True):
            plan.patient = patient

    # -- enrollments ----------------------------------------------------------------------

    def _enrollments(self, plans: list[Plan], users: dict[str, User]) -> list[Enrollment]:
        rng = self.rng
        today = self.today
        days = self.program.intervention_days
        rows = []
        for plan in plans:
            chw = users[plan.chw]
            teammates = [
                user
                for user in users.values()
                if user.role == Role.CHW and user.team_id == chw.team_id and user != chw
            ]
            enrollment = Enrollment(
                patient=plan.patient,
                program=self.program,
                chw=chw,
                status=plan.status,
                created_by=chw,
            )
            if plan.status == Status.ENROLLED:
                ago = rng.randint(days + 1, HISTORY_DAYS - 5) if plan.past_end else None
                if ago is None:
                    ago = rng.randint(1, days - 1)
                    if plan.prior_declined:
                        ago = rng.randint(1, 150)
                self._start(enrollment, today - dt.timedelta(days=ago))
                if rng.random() < 0.3:
                    enrollment.backup_chw = rng.choice(teammates)
                enrollment.next_touchpoint_on = today + dt.timedelta(days=rng.randint(-10, 14))
            elif plan.status == Status.GRADUATED:
                self._start(
                    enrollment, today - dt.timedelta(days=rng.randint(days + 5, HISTORY_DAYS))
                )
                enrollment.closed_on = enrollment.enrolled_on + dt.timedelta(
                    days=rng.randint(days - 15, days + 2)
                )
                handoff = rng.choice(HANDOFFS)
                enrollment.handoff_to = handoff
                enrollment.handoff_accepted = rng.random() < 0.8
                enrollment.summary = (
                    "Worked on the goals the patient set; the last visits reviewed what "
                    f"changed and planned the handoff to {handoff}."
                )
            elif plan.status == Status.WITHDRAWN:
                ago = rng.randint(40, 250)
                self._start(enrollment, today - dt.timedelta(days=ago))
                enrollment.closed_on = enrollment.enrolled_on + dt.timedelta(
                    days=rng.randint(14, min(150, ago - 1))
                )
                enrollment.close_reason = rng.choice(WITHDRAW_REASONS)
            elif plan.status == Status.REFERRED:
                enrollment.referred_on = today - dt.timedelta(days=rng.randint(0, 18))
            else:
                enrollment.referred_on = today - dt.timedelta(days=rng.randint(5, HISTORY_DAYS))
                enrollment.closed_on = enrollment.referred_on
                reasons = DECLINE_REASONS if plan.status == Status.DECLINED else INELIGIBLE_REASONS
                enrollment.close_reason = rng.choice(reasons)
            plan.enrollments.append(enrollment)
            if plan.prior_declined:
                earlier = enrollment.referred_on - dt.timedelta(days=rng.randint(30, 90))
                plan.enrollments.insert(
                    0,
                    Enrollment(
                        patient=plan.patient,
                        program=self.program,
                        chw=chw,
                        status=Status.DECLINED,
                        referred_on=earlier,
                        closed_on=earlier,
                        close_reason="Not ready at first contact; the clinic referred again later.",
                        created_by=chw,
                    ),
                )
            rows += plan.enrollments
        created = audit.bulk_create(Enrollment, rows)
        if any(row.pk is None for row in created):  # pragma: no cover - old databases
            raise CommandError("This database does not return ids from bulk inserts.")
        return created

    def _start(self, enrollment: Enrollment, enrolled_on: dt.date) -> None:
        enrollment.enrolled_on = enrolled_on
        enrollment.referred_on = enrolled_on - dt.timedelta(days=self.rng.randint(0, 12))
        enrollment.planned_end_on = enrolled_on + dt.timedelta(days=self.program.intervention_days)

    # -- encounters -----------------------------------------------------------------------

    def _encounters(self, plans: list[Plan]) -> list[Encounter]:
        rows: list[Encounter] = []
        for plan in plans:
            for enrollment in plan.enrollments:
                rows += self._for_enrollment(enrollment, plan)
        return audit.bulk_create(Encounter, rows)

    def _for_enrollment(self, enrollment: Enrollment, plan: Plan) -> list[Encounter]:
        rng = self.rng
        today = self.today
        out: list[Encounter] = []
        if enrollment.status in (Status.DECLINED, Status.INELIGIBLE):
            return out  # nothing can be logged on a referral closed without enrolling

        if enrollment.status == Status.REFERRED:
            span = (today - enrollment.referred_on).days
            for offset in sorted(rng.sample(range(span + 1), min(span + 1, rng.randint(1, 4)))):
                kind = rng.choices([Kind.OUTREACH_ATTEMPT, Kind.TEXT, Kind.PHONE], [6, 2, 2])[0]
                reached = rng.random() < 0.25
                when = enrollment.referred_on + dt.timedelta(days=offset)
                self._add(out, enrollment, when, kind, reached=reached, stop=today)
            return out

        start = enrollment.enrolled_on
        stop = enrollment.closed_on or today
        contact_stop = stop
        if plan.lapsed and (today - start).days > 30:
            contact_stop = today - dt.timedelta(days=rng.randint(16, 45))
        # The first visit, on the day the patient enrolled.
        self._add(
            out,
            enrollment,
            start,
            rng.choice([Kind.HOME_VISIT, Kind.COMMUNITY_VISIT]),
            reached=True,
            stop=stop,
            note=ENROLLMENT_NOTE,
            weekend_ok=True,
        )
        day = start + dt.timedelta(days=rng.randint(2, 6))
        while day <= contact_stop:
            kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            self._add(out, enrollment, day, kind, stop=contact_stop)
            day += dt.timedelta(days=rng.randint(3, 9))
        if contact_stop < stop:
            # Lapsed: only unanswered tries since the last real contact.
            for _ in range(rng.randint(0, 3)):
                when = contact_stop + dt.timedelta(days=rng.randint(1, (stop - contact_stop).days))
                kind = rng.choice([Kind.PHONE, Kind.OUTREACH_ATTEMPT, Kind.TEXT])
                self._add(out, enrollment, when, kind, reached=False, stop=stop)

        if enrollment.status == Status.GRADUATED:
            note = f"Graduation visit. Reviewed goals; handoff to {enrollment.handoff_to}."
            self._add(
                out,
                enrollment,
                enrollment.closed_on,
                Kind.HOME_VISIT,
                reached=True,
                stop=enrollment.closed_on,
                weekend_ok=True,
                note=note,
            )
        elif enrollment.status == Status.WITHDRAWN:
            unreachable = "reached" in enrollment.close_reason
            self._add(
                out,
                enrollment,
                enrollment.closed_on,
                Kind.OUTREACH_ATTEMPT if unreachable else Kind.PHONE,
                reached=not unreachable,
                stop=enrollment.closed_on,
                weekend_ok=True,
                note=f"Enrollment closed. {enrollment.close_reason}",
            )

        # Patients keep calling after their enrollment ended (in the last four weeks only
        # for the CHWs whose story is boundary strain).
        recent = 0 if enrollment.chw.username in BOUNDARY_CHWS else 29
        latest = (today - enrollment.closed_on).days - recent if enrollment.closed_on else 0
        if latest >= 1:
            chance = 0.6 if enrollment.status == Status.GRADUATED else 0.3
            if rng.random() < chance:
                for _ in range(rng.randint(1, 3)):
                    gap = rng.randint(1, min(90, latest))
                    when = enrollment.closed_on + dt.timedelta(days=gap)
                    kind = rng.choice([Kind.PHONE, Kind.PHONE, Kind.TEXT])
                    note = rng.choice(AFTER_END_NOTES)
                    self._add(
                        out,
                        enrollment,
                        when,
                        kind,
                        reached=True,
                        stop=today,
                        initiated_by=InitiatedBy.PATIENT,
                        note=note,
                    )
        return out

    def _add(
        self,
        out: list[Encounter],
        enrollment: Enrollment,
        day: dt.date,
        kind: str,
        *,
        stop: dt.date,
        reached: bool | None = None,
        initiated_by: str | None = None,
        note: str | None = None,
        weekend_ok: bool = False,
    ) -> None:
        """Draw one encounter on (or just after) `day`; drop it if it would fall after
        `stop` or in the future. Every random draw happens before the checks, so the
        clock's time of day never changes what the rest of the data looks like."""
        rng = self.rng
        non_contact = kind in Encounter.NON_CONTACT_KINDS
        if reached is None:
            reached = rng.random() < REACHED_CHANCE.get(kind, 0.0)
        reached = reached and not non_contact
        if initiated_by is None:
            patient_chance = PATIENT_INITIATED_CHANCE.get(kind, 0.0)
            initiated_by = InitiatedBy.PATIENT if rng.random() < patient_chance else InitiatedBy.CHW
        patient_initiated = initiated_by == InitiatedBy.PATIENT
        # The boundary-strain CHWs answer more calls in the evening.
        strained = enrollment.chw.username in BOUNDARY_CHWS
        after_hours = rng.random() < (
            (0.35 if patient_initiated else 0.07)
            if strained
            else (0.25 if patient_initiated else 0.05)
        )
        weekend = day.isoweekday() > 5
        if after_hours and not weekend:
            # An evening call or text, or an early start before the day's first visit.
            minute = rng.choice(
                [rng.randint(18 * 60, 21 * 60 + 30), rng.randint(7 * 60, 7 * 60 + 50)]
            )
        elif after_hours or (weekend and weekend_ok):
            minute = rng.randint(9 * 60, 19 * 60)
        else:
            minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
            if weekend:
                day += dt.timedelta(days=8 - day.isoweekday())  # to Monday
        low, high = DURATION_MINUTES[kind]
        duration = rng.randint(low, high) if reached or non_contact else rng.randint(1, 5)
        if kind == Kind.TEXT and rng.random() < 0.4:
            duration = None
        crisis = reached and kind in (Kind.PHONE, Kind.HOME_VISIT) and rng.random() < 0.01
        if note is None:
            note = rng.choice(NOTES[(kind, reached)])
        if crisis:
            note = CRISIS_NOTE
        occurred_at = dt.datetime.combine(
            day, dt.time(minute // 60, minute % 60), tzinfo=self.program.tz
        )
        if day > stop or day < enrollment.started_on or occurred_at > self.now:
            return
        after_hours_flag, after_end_flag = encounter_flags(
            enrollment=enrollment, occurred_at=occurred_at
        )
        out.append(
            Encounter(
                enrollment=enrollment,
                author=enrollment.chw,
                occurred_at=occurred_at,
                kind=kind,
                setting=Encounter.DEFAULT_SETTING[kind],
                reached=reached,
                initiated_by=initiated_by,
                duration_minutes=duration,
                notes=note,
                mental_health_crisis=crisis,
                safety_concern=kind == Kind.SAFETY_NOTE and "conflict" in note,
                after_hours=after_hours_flag,
                after_end=after_end_flag,
            )
        )
