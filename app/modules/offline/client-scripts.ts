// The two scripts that go into packages, as text. They run from file:// or inside an LMS frame,
// in old browsers too: plain ES5, no modules, no network.

/**
 * Self-check questions: each form carries its question; the answers are in a JSON block of the page
 * (these are practice questions, never the graded bank). Grading happens in the page.
 */
export const SELF_CHECK_JS = `(function () {
  var data = document.getElementById('self-check-data');
  if (!data) return;
  var answers = JSON.parse(data.textContent);
  var forms = document.querySelectorAll('form.self-check');
  for (var i = 0; i < forms.length; i++) forms[i].addEventListener('submit', grade);
  function grade(event) {
    event.preventDefault();
    var form = event.target;
    var q = answers[form.getAttribute('data-question')];
    var chosen = [];
    var inputs = form.querySelectorAll('input');
    for (var i = 0; i < inputs.length; i++) if (inputs[i].checked) chosen.push(inputs[i].value);
    var out = form.querySelector('.self-check-result');
    if (!chosen.length) { out.className = 'self-check-result wrong'; out.textContent = form.getAttribute('data-empty'); return; }
    var right = q.correct.slice().sort().join('|') === chosen.sort().join('|');
    out.className = 'self-check-result ' + (right ? 'right' : 'wrong');
    out.textContent = (right ? form.getAttribute('data-right') : form.getAttribute('data-wrong') + ' ' + q.answerText) + ' ' + q.explanation;
    form.setAttribute('data-verdict', right ? 'right' : 'wrong');
  }
})();
`

/**
 * SCORM 1.2 run-time for one lesson (an SCO): find the LMS's API object up the frame chain and in
 * the opener (the search of the ADL/pipwerks wrapper), LMSInitialize on load, "incomplete" while
 * reading, "completed" when the learner presses "I have finished this lesson", then
 * LMSCommit; LMSFinish when the page goes away. Without an LMS the page still reads as plain HTML.
 */
export const SCORM_JS = `(function () {
  function findIn(win) {
    var tries = 0;
    while (win && !win.API && win.parent && win.parent !== win && tries < 10) { win = win.parent; tries++; }
    return win && win.API ? win.API : null;
  }
  var api = findIn(window) || (window.opener ? findIn(window.opener) : null);
  var status = document.getElementById('scorm-status');
  var done = false, finished = false;
  function say(text) { if (status) status.textContent = text; }
  if (!api) { say(status ? status.getAttribute('data-no-lms') : ''); return; }
  if (String(api.LMSInitialize('')) !== 'true') { say('LMSInitialize: ' + api.LMSGetLastError()); return; }
  var current = String(api.LMSGetValue('cmi.core.lesson_status'));
  if (current === 'completed' || current === 'passed') { done = true; say(status.getAttribute('data-done')); }
  else { api.LMSSetValue('cmi.core.lesson_status', 'incomplete'); api.LMSCommit(''); }
  function complete() {
    if (done) return;
    done = true;
    api.LMSSetValue('cmi.core.lesson_status', 'completed');
    api.LMSCommit('');
    say(status.getAttribute('data-done'));
  }
  var button = document.getElementById('scorm-complete');
  if (button) button.addEventListener('click', complete);
  function finish() { if (finished) return; finished = true; api.LMSFinish(''); }
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);
})();
`
