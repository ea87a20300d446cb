"""What schools tell the partnership about a child: attendance and suspensions per term,
from the schools' feeds, matched to children by UPN."""
