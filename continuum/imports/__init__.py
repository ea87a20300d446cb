"""Files taken in from councils and partners (the CIN census, police notifications, school
attendance): each import recorded, checked whole before anything is saved, run in the
background with its progress shown. Each kind of file is registered by the app that owns
its records."""
