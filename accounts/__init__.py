"""People who sign in: applicants and staff alike.

A separate app because identity stands apart from every domain: agencies, workflows and permits
all point at a user, and personal data (UU 27/2022 on personal data protection) is kept here,
in one place, so that its protection and retention rules have a single home."""
