"""The words of the demo's caseloads (`demo/caseloads.py` draws from them): patients'
names by language, nicknames, self-reported race and ethnicity, zip codes, handoffs, the
reasons an enrollment closes, and the notes a CHW writes for each kind of encounter."""

from __future__ import annotations

from caseloads.models import Encounter

Kind = Encounter.Kind


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


NOTES: dict[tuple[str, bool], list[str]] = {
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
