// The decision page's suggested level, worked out again as indicators are ticked.
//
// Progressive enhancement: without JavaScript the page's "Update the suggestion" button
// asks the server. The rules are those of continuum/thresholds/rules.py (suggest_level),
// applied to the parameters and each indicator's level and domain that the server writes
// into the page from those rules (the "threshold-rules" JSON data block); a test runs
// suggestLevel below against suggest_level so the two never disagree.

/** The level (1 to 4) the rules suggest for the ticked indicator codes, or null. */
export function suggestLevel(codes, rules) {
  const selected = [...new Set(codes)].filter((code) => code in rules.indicators);
  if (selected.length === 0) return null;
  const facts = selected.map((code) => ({ level: rules.indicators[code][0], domain: rules.indicators[code][1] }));
  // The highest level sets the floor; any level 4 indicator suggests level 4.
  let level = Math.max(...facts.map((fact) => fact.level));
  // Several level 2 needs across domains need a multi-agency response: level 3.
  const level2 = facts.filter((fact) => fact.level === 2);
  const domains = new Set(level2.map((fact) => fact.domain));
  if (
    level < 3 &&
    level2.length >= rules.multiAgencyLevel2Count &&
    domains.size >= rules.multiAgencyDomainCount
  ) {
    level = 3;
  }
  return level;
}

// Hidden, whatever display GOV.UK Frontend's styles give the element.
function show(element, visible) {
  element.hidden = !visible;
  element.style.display = visible ? "" : "none";
}

function enhance(panel, rules) {
  const form = panel.closest("form");
  if (!form) return;
  const boxes = () => [...form.querySelectorAll('input[type="checkbox"][name="indicators"]')];
  const tag = panel.querySelector('[data-testid="suggested-level"]');
  const levelLine = panel.querySelector("[data-suggestion-level]");
  const none = panel.querySelector("[data-suggestion-none]");
  const reasons = panel.querySelector("[data-suggestion-reasons]");
  const response = panel.querySelector("[data-suggestion-response]");
  const note = panel.querySelector("[data-suggestion-note]");
  const update = form.querySelector("[data-suggestion-update]");
  const shown = tag.textContent.trim();

  function refresh() {
    const level = suggestLevel(boxes().filter((box) => box.checked).map((box) => box.value), rules);
    const name = level === null ? "" : rules.levelNames[String(level)];
    show(none, level === null);
    show(levelLine, level !== null);
    tag.textContent = name;
    tag.className = "govuk-tag " + (level === null ? "" : rules.tagClasses[String(level)]);
    // The server's reasons explain the suggestion it made; once it changes, the level's
    // response says what it means instead (the reasons come back with the decision).
    const changed = name !== shown;
    if (reasons) show(reasons, !changed);
    show(response, changed && level !== null);
    response.textContent = level === null ? "" : rules.levelResponses[String(level)];
  }

  note.textContent = "Worked out as you tick the indicators below, and again when you record the decision.";
  if (update) show(update, false);
  form.addEventListener("change", (event) => {
    if (event.target.name === "indicators") refresh();
  });
}

if (typeof document !== "undefined") {
  const data = document.getElementById("threshold-rules");
  const panel = document.querySelector('[data-module="suggested-level"]');
  if (data && panel) enhance(panel, JSON.parse(data.textContent));
}
