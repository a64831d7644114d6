// The explorer page: the editor and Arguments box send an edit after a pause; the server answers
// with HTML drawn by autoconv's renderers, which this script only places. The state (code,
// arguments, function, tab) lives in the URL fragment and in localStorage.
(function () {
  "use strict";
  var PAUSE_MS = 300;
  var STORAGE_KEY = "autoconv-serve-state";
  var token = document.getElementById("acx-script").dataset.token;
  var start = JSON.parse(document.getElementById("acx-start").dataset.start);
  var status = document.getElementById("acx-status");
  var failureBox = document.getElementById("acx-failure");
  var argumentsBox = document.getElementById("acx-arguments");
  var picker = document.getElementById("acx-function");
  var panes = {};
  Array.prototype.forEach.call(document.querySelectorAll(".acx-pane"), function (pane) {
    panes[pane.dataset.pane] = pane;
  });

  function stateFromFragment() {
    var match = /^#s=(.*)$/.exec(location.hash);
    if (!match) { return null; }
    try { return JSON.parse(decodeURIComponent(match[1])); } catch (error) { return null; }
  }
  function storedState() {
    try { return JSON.parse(localStorage.getItem(STORAGE_KEY) || "null"); } catch (error) { return null; }
  }
  var state = stateFromFragment() || storedState() || {
    code: start.code, arguments: start.arguments.join("\n"), function: start.function, tab: "converted", dark: null,
  };

  function keep() {
    var fragment = "#s=" + encodeURIComponent(JSON.stringify(state));
    history.replaceState(null, "", location.pathname + location.search + fragment);
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (error) { /* private mode */ }
  }

  var editor = window.AutoconvEditor.create(document.getElementById("acx-editor"), state.code, function (text) {
    state.code = text;
    schedule();
  });
  argumentsBox.value = state.arguments || "";
  argumentsBox.addEventListener("input", function () { state.arguments = argumentsBox.value; schedule(); });
  picker.addEventListener("change", function () { state.function = picker.value; schedule(0); });

  // Tabs
  function showTab(name) {
    state.tab = name;
    Array.prototype.forEach.call(document.querySelectorAll(".acx-tabs [data-tab]"), function (tab) {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    });
    Object.keys(panes).forEach(function (key) { panes[key].hidden = key !== name; });
  }
  document.querySelector(".acx-tabs").addEventListener("click", function (event) {
    var tab = event.target.closest("[data-tab]");
    if (tab) { showTab(tab.dataset.tab); keep(); }
  });

  // Theme: the system's (prefers-color-scheme) until the switch is used; then the switch's, kept
  // with the state. data-theme on <html> is what the shared palette's rules read (render/assets.py).
  var themeButton = document.getElementById("acx-theme");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() { return state.dark === true || (state.dark !== false && systemDark.matches); }
  function applyTheme() {
    var dark = isDark();
    if (state.dark === true || state.dark === false) {
      document.documentElement.dataset.theme = dark ? "dark" : "light";
    } else {
      delete document.documentElement.dataset.theme;
    }
    themeButton.setAttribute("aria-pressed", String(dark));
    themeButton.textContent = dark ? "light" : "dark";
    editor.setDark(dark);
  }
  themeButton.addEventListener("click", function () { state.dark = !isDark(); applyTheme(); keep(); });
  systemDark.addEventListener("change", applyTheme);

  // Download .py: made here from the editor's text; the server writes no file.
  document.getElementById("acx-download").addEventListener("click", function () {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([editor.text()], { type: "text/x-python" }));
    link.download = (state.function || "explorer") + ".py";
    link.click();
    URL.revokeObjectURL(link.href);
  });

  // Catalogue samples
  document.getElementById("acx-sample").addEventListener("change", function (event) {
    var name = event.target.value;
    if (!name) { return; }
    fetch("/sample/" + encodeURIComponent(name) + "?token=" + token).then(function (response) {
      return response.json();
    }).then(function (loaded) {
      if (loaded.error) { showFailure([{ line: null, message: loaded.error }]); return; }
      state.function = loaded.function;
      state.arguments = loaded.arguments.join("\n");
      argumentsBox.value = state.arguments;
      editor.setText(loaded.code);
    });
  });

  // Hovering a converted line lights its original line in the editor too.
  panes.converted.addEventListener("mouseover", function (event) {
    var line = event.target.closest && event.target.closest(".ac-line[data-orig]");
    editor.setHover(line ? Number(line.dataset.orig) : 0);
  });
  panes.converted.addEventListener("mouseleave", function () { editor.setHover(0); });

  // The live loop
  var socket = null, timer = null, latest = 0, lintMarks = {}, errorMarks = {}, badgeMarks = {};
  function setStatus(text, kind) { status.textContent = text; status.dataset.kind = kind || ""; }
  function schedule(delay) {
    clearTimeout(timer);
    keep();
    timer = setTimeout(send, delay === undefined ? PAUSE_MS : delay);
  }
  function send() {
    if (!socket || socket.readyState !== WebSocket.OPEN) { return; }
    latest += 1;
    setStatus("working…", "busy");
    socket.send(JSON.stringify({
      id: latest, source: state.code, function: state.function, arguments: state.arguments || "",
    }));
  }
  function applyMarks() {
    var marks = {};
    [badgeMarks, lintMarks, errorMarks].forEach(function (layer) {
      Object.keys(layer).forEach(function (line) { marks[line] = layer[line]; });
    });
    editor.setMarks(marks);
  }
  function showFailure(failures) {
    failureBox.hidden = !failures.length;
    failureBox.textContent = "";
    errorMarks = {};
    failures.forEach(function (failure) {
      var item = document.createElement("p");
      var where = failure.argument_line ? "Arguments line " + failure.argument_line + ": "
        : failure.line ? "line " + failure.line + ": " : "";
      item.textContent = where + failure.message;
      item.className = "acx-failure-item";
      failureBox.appendChild(item);
      if (failure.line && !failure.argument_line) { errorMarks[failure.line] = { kind: "error", text: failure.message }; }
    });
    applyMarks();
  }
  // The view's own script (render/assets.py) binds the views present when it runs: run it again
  // for each view placed since (it binds each view once).
  var viewScript = document.getElementById("acx-view-js").textContent;
  function bindViews() {
    var script = document.createElement("script");
    script.textContent = viewScript;
    document.body.appendChild(script);
    script.remove();
  }
  function place(pane, html, empty) {
    if (html) {
      pane.innerHTML = html;
      pane.classList.remove("acx-stale");
      bindViews();
    } else if (empty) {
      pane.innerHTML = '<p class="acx-empty"></p>';
      pane.firstChild.textContent = empty;
      pane.classList.remove("acx-stale");
    } else {
      pane.classList.add("acx-stale");  // the last good view stays, greyed
    }
  }
  function lintPane(findings) {
    lintMarks = {};
    var list = document.createElement("ul");
    list.className = "acx-findings";
    findings.forEach(function (finding) {
      if (finding.code !== "AC000") { lintMarks[finding.line] = { kind: "lint", text: finding.code + " " + finding.message }; }
      var item = document.createElement("li");
      item.textContent = "line " + finding.line + ": " + finding.code + " " + finding.message + (finding.hint ? " (" + finding.hint + ")" : "");
      list.appendChild(item);
    });
    panes.lint.textContent = "";
    if (findings.length) { panes.lint.appendChild(list); } else { place(panes.lint, null, "No findings."); }
    document.querySelector('[data-tab="lint"]').textContent = "Lint" + (findings.length ? " (" + findings.length + ")" : "");
  }
  function conversionAnswer(answer) {
    picker.textContent = "";
    answer.functions.forEach(function (name) {
      var option = document.createElement("option");
      option.value = option.textContent = name;
      option.selected = name === answer.function;
      picker.appendChild(option);
    });
    if (answer.function) { state.function = answer.function; keep(); }
    lintPane(answer.findings);
    showFailure(answer.failure ? [answer.failure] : []);
    place(panes.converted, answer.html);
    if (!answer.html) {
      ["explain", "check", "ops"].forEach(function (name) { panes[name].classList.add("acx-stale"); });
      setStatus(answer.failure ? "error" : "ready", answer.failure ? "error" : "");
    }
  }
  // The explanation comes first (one trace and call), the check's verdicts and graphs after it.
  function explanationAnswer(answer) {
    var none = !(state.arguments || "").trim();
    place(panes.explain, answer.explain_html, none ? "Type arguments to see what a call's trace does, line by line." : "");
    badgeMarks = {};
    Object.keys(answer.badges).forEach(function (line) { badgeMarks[line] = { kind: "badge", text: answer.badges[line] }; });
    showFailure(answer.failures);
    if (!none) {
      ["check", "ops"].forEach(function (name) { panes[name].classList.add("acx-stale"); });
      setStatus("checking…", "busy");
    }
  }
  function callsAnswer(answer) {
    var none = !(state.arguments || "").trim();
    place(panes.check, answer.check_html, none ? "Type arguments to compare eager and graph, call by call." : "");
    place(panes.ops, answer.ops_html, none ? "Type arguments to see the ops of the traced graph." : "");
    showFailure(answer.failures);
    setStatus(answer.failures.length ? "error" : "ready", answer.failures.length ? "error" : "");
  }
  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws?token=" + token);
    socket.addEventListener("open", function () { send(); });
    socket.addEventListener("message", function (event) {
      var answer = JSON.parse(event.data);
      if (answer.id !== latest) { return; }  // an older edit's answer: a newer one is on its way
      if (answer.type === "conversion") { conversionAnswer(answer); }
      else if (answer.type === "explanation") { explanationAnswer(answer); }
      else { callsAnswer(answer); }
    });
    socket.addEventListener("close", function () { setStatus("disconnected: is autoconv serve still running?", "error"); });
  }

  showTab(state.tab || "converted");
  applyTheme();
  keep();
  connect();
  window.autoconvExplorer = { editor: editor, state: state };
})();
