// chatlint's archive search: every message of the archive, searched in the
// browser. The index (search-index.js) is loaded on demand by a <script>
// element, which works from file:// where fetch() does not. Results are
// built with textContent only: no text of a transcript is read as markup.
(function () {
  'use strict';
  var LIMIT = 200;
  var input = document.getElementById('search');
  var results = document.getElementById('results');
  var status = document.getElementById('search-status');
  var waiting = null;
  var generation = 0;

  function withIndex(then) {
    if (window.chatlintSearchIndex) {
      then(window.chatlintSearchIndex);
      return;
    }
    if (waiting) {
      waiting.push(then);
      return;
    }
    waiting = [then];
    status.textContent = 'Loading the search index…';
    var script = document.createElement('script');
    script.src = 'search-index.js';
    script.onload = function () {
      var callbacks = waiting;
      waiting = null;
      callbacks.forEach(function (callback) { callback(window.chatlintSearchIndex); });
    };
    script.onerror = function () {
      waiting = null;
      status.textContent = 'The search index (search-index.js) could not be loaded.';
      results.setAttribute('data-state', 'failed');
    };
    document.head.appendChild(script);
  }

  function clear() {
    while (results.firstChild) {
      results.removeChild(results.firstChild);
    }
  }

  function excerpt(text, at, length) {
    var start = Math.max(0, at - 40);
    var end = Math.min(text.length, at + length + 80);
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  function search(query) {
    var mine = ++generation;
    results.removeAttribute('data-state');
    results.removeAttribute('data-count');
    clear();
    var needle = query.trim().toLowerCase();
    if (!needle) {
      status.textContent = '';
      results.setAttribute('data-count', '0');
      results.setAttribute('data-state', 'done');
      return;
    }
    withIndex(function (index) {
      if (mine !== generation) {
        return;
      }
      var count = 0;
      for (var i = 0; i < index.messages.length; i++) {
        var m = index.messages[i];
        var text = m[4];
        var at = text.toLowerCase().indexOf(needle);
        if (at < 0 && m[3].toLowerCase().indexOf(needle) < 0) {
          continue;
        }
        count++;
        if (count > LIMIT) {
          continue;
        }
        var file = index.files[m[0]];
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = file.page + '#m-' + m[1];
        link.textContent = file.title + ' · ' + m[2] + ' · ' + m[3];
        var quote = document.createElement('div');
        quote.className = 'excerpt';
        quote.textContent = at < 0 ? excerpt(text, 0, 0) : excerpt(text, at, needle.length);
        item.appendChild(link);
        item.appendChild(quote);
        results.appendChild(item);
      }
      status.textContent = count === 0 ? 'No message holds “' + query.trim() + '”.'
        : count > LIMIT ? count + ' messages; the first ' + LIMIT + ' are shown.'
        : count + (count === 1 ? ' message.' : ' messages.');
      results.setAttribute('data-count', String(count));
      results.setAttribute('data-state', 'done');
    });
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });

  function fromHash() {
    var found = /^#q=(.*)$/.exec(location.hash);
    if (!found) {
      return;
    }
    var query;
    try {
      query = decodeURIComponent(found[1].replace(/\+/g, ' '));
    } catch (e) {
      query = found[1];
    }
    input.value = query;
    search(query);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
