"""The service catalogue (*perizinan* = permits, *non perizinan* = non-permit services such as
recommendations, registrations and letters), applications and their documents, the actions that
touch them, and the applicant and public pages. Imports ``workflows`` and ``agencies``; never the
other way round."""
