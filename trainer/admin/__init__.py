"""The admin area: the audit log and the user list (roles, unlocking, deleting a trainee's data)."""
