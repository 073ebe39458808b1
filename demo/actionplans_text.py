"""The words of the demo's action plans (`demo/actionplans.py` draws from them): the
partner directory, goals in the patients' own words, action steps and referrals for each
goal category, and what an intake records (life story, priorities, strengths)."""

from __future__ import annotations

from dataclasses import dataclass

from actionplans.models import ActionStep, Goal, Partner

PartnerKind = Partner.Kind
Category = Goal.Category
Owner = ActionStep.Owner
Support = ActionStep.SupportType


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


@dataclass(frozen=True)
class GoalText:
    """A goal as patients say it, with the ages and languages it suits."""

    statement: str
    condition: str = ""
    min_age: int = 0
    max_age: int = 200
    non_english_only: bool = False


# fmt: off
GOALS: dict[str, list[GoalText]] = {
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
STEPS: dict[str, list[tuple[str, str, str]]] = {
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
REFERRALS: dict[str, list[tuple[str, str]]] = {
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
