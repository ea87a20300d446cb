"""Who records hubs' data-sharing agreements and places staff in hubs (issue 15).
Registered with the one access policy. (What hub staff see of the front door is the front
door's and the shared record's policies, asking ``hubs.reach``.)

Filled in by the hubs part; the action names are the contract other parts use.
"""

from __future__ import annotations


class HubAction:
    # See hubs and their agreements (obj: an agreement, or none for the list).
    VIEW = "hubs.view"
    # Record a new agreement or change one not yet in force (obj: the councils / agreement).
    MANAGE_AGREEMENT = "hubs.manage_agreement"
    # Record a council's sign-off (obj: the AgreementCouncil).
    SIGN_OFF = "hubs.sign_off"
    # End an agreement early (obj: the agreement).
    END_AGREEMENT = "hubs.end_agreement"
    # Place staff in a hub or end a placement (obj: the hub organisation).
    PLACE_STAFF = "hubs.place_staff"
