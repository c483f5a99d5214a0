"""Attendance certificates: issued by an event's managers, verified by anyone with the code."""
