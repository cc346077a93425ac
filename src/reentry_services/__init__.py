"""Open data of the reentry-support resources listed with Tokyo's recidivism-prevention plan."""
