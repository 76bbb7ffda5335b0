"""`winrmlint connect`: predict what a remoting attempt from one host to another will do.

attempt (what the user typed) → capability (what each host model offers, a pure derivation) →
steps (the client's decision procedure, connection-model §3, one small function per check) →
verdict (fails / succeeds_if / depends, with evidence, the cascade and the fixes).
"""
