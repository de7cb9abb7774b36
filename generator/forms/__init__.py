"""Supervision record forms (rules/forms/*.yaml): the published paper forms as data.

model.py reads a form into typed records; form_schema.py validates the form files (`beian rules --validate`);
answers.py judges one filled record against its form (score, levels, ratings, vetoes) as a pure function.
"""
