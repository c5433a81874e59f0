"""The money beside the progress: the financing plan of a funding project, its expenditures
(Belegliste), the receipts of funds, the overview, the exports and the report's financial annex.

Its models keep the app label `reports` (`portal/reports/models.py` imports them); nothing here
imports `portal.reports.models` (it imports this package), so the funding project is reached by
the app registry (`selectors.funding_projects`).
"""
