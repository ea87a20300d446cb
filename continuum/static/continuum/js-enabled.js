// Runs at the start of <body>: marks the page so GOV.UK Frontend components enhance it.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
