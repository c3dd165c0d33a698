"""Where the data puts a child in the care screening (normal / at risk / problem): every threshold in one place.

Read by care.derived; change a number here and the next run of the derivation uses it. A teacher's own
judgement is never overwritten: the derivation adds a row only when its verdict changes.
"""

from decimal import Decimal

# Learning: the term's grade point average and its results of 0, ร (incomplete) or มส (not allowed to sit).
GPA_PROBLEM_BELOW = Decimal("1.50")
GPA_RISK_BELOW = Decimal("2.00")
FAILED_RESULTS_PROBLEM_FROM = 2
FAILED_RESULTS_RISK_FROM = 1

# Health: the latest growth bands (khru.health), weight-for-height shape and height-for-age.
SHAPE_PROBLEM = frozenset({"thin", "obese"})
SHAPE_RISK = frozenset({"rather_thin", "overweight"})
HEIGHT_PROBLEM = frozenset({"short"})
HEIGHT_RISK = frozenset({"rather_short"})

# Family: poverty-eligible is at risk; risks seen on a home visit.
POVERTY_ELIGIBLE_IS = "risk"
FAMILY_PROBLEM_RISKS = frozenset({"violence", "neglect", "substance"})
FAMILY_RISK_RISKS = frozenset({"debt", "health"})

# Safety: the term's daily attendance rate, and risks seen on a home visit.
ATTENDANCE_PROBLEM_BELOW = 0.80
ATTENDANCE_RISK_BELOW = 0.90
ATTENDANCE_MIN_SESSIONS = 10  # fewer registers than this say nothing yet
SAFETY_PROBLEM_RISKS = frozenset({"violence", "child_labour"})
SAFETY_RISK_RISKS = frozenset({"unsafe_house", "route"})
