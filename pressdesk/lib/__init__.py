"""Plain helpers shared by the domain apps. No Django models live here."""
