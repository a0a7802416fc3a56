// 无障碍工具条: 长者模式, 高对比度, 字号＋/－, remembered across pages in localStorage.
// Loaded in <head> without defer so the saved mode applies before the first paint; the toolbar
// is `hidden` in the HTML and shown only here, so with JavaScript off no dead control remains.
// No pop-ups, nothing moves by itself; every control is a real <button> (keyboard: Tab, Enter,
// Space).
(function () {
  'use strict';
  var KEY = 'portal-a11y';
  var MIN = -2;
  var MAX = 4;
  var root = document.documentElement;

  function load() {
    try {
      var s = JSON.parse(window.localStorage.getItem(KEY) || '{}');
      return {
        elder: s.elder === true,
        contrast: s.contrast === true,
        scale: typeof s.scale === 'number' ? Math.max(MIN, Math.min(MAX, Math.round(s.scale))) : 0,
      };
    } catch (e) {
      return { elder: false, contrast: false, scale: 0 };
    }
  }

  function save(s) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(s));
    } catch (e) {
      /* storage refused (private mode): the setting lasts for this page only */
    }
  }

  function apply(s) {
    root.classList.toggle('a11y-elder', s.elder);
    root.classList.toggle('a11y-contrast', s.contrast);
    for (var i = MIN; i <= MAX; i++) root.classList.remove('a11y-scale-' + String(i).replace('-', 'm'));
    if (s.scale !== 0) root.classList.add('a11y-scale-' + String(s.scale).replace('-', 'm'));
  }

  var state = load();
  apply(state);

  function wire() {
    var bar = document.getElementById('a11y-bar');
    if (bar) {
      bar.hidden = false;
      var toggle = bar.querySelector('.a11y-toggle');
      var buttons = bar.querySelectorAll('[data-a11y]');
      var status = document.createElement('p');
      status.className = 'visually-hidden';
      status.setAttribute('role', 'status');
      bar.appendChild(status);
      var sync = function (said) {
        for (var i = 0; i < buttons.length; i++) {
          var b = buttons[i];
          var what = b.getAttribute('data-a11y');
          if (what === 'elder') b.setAttribute('aria-pressed', String(state.elder));
          if (what === 'contrast') b.setAttribute('aria-pressed', String(state.contrast));
          if (what === 'bigger') b.disabled = state.scale >= MAX;
          if (what === 'smaller') b.disabled = state.scale <= MIN;
        }
        if (said) status.textContent = said;
      };
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].addEventListener('click', function (ev) {
          var what = ev.currentTarget.getAttribute('data-a11y');
          var said = '';
          if (what === 'elder') {
            state.elder = !state.elder;
            said = state.elder ? '已开启长者模式' : '已关闭长者模式';
          } else if (what === 'contrast') {
            state.contrast = !state.contrast;
            said = state.contrast ? '已开启高对比度' : '已关闭高对比度';
          } else if (what === 'bigger') {
            state.scale = Math.min(MAX, state.scale + 1);
            said = '字号已放大';
          } else if (what === 'smaller') {
            state.scale = Math.max(MIN, state.scale - 1);
            said = '字号已缩小';
          } else if (what === 'reset') {
            state = { elder: false, contrast: false, scale: 0 };
            said = '已恢复默认显示';
          }
          apply(state);
          save(state);
          sync(said);
        });
      }
      if (toggle) {
        toggle.addEventListener('click', function () {
          var open = toggle.getAttribute('aria-expanded') !== 'true';
          toggle.setAttribute('aria-expanded', String(open));
          bar.classList.toggle('open', open);
        });
      }
      sync('');
    }
    // On a phone the nav is one row that scrolls sideways: bring the current section into it.
    var cur = document.querySelector('.site-nav a[aria-current="page"]');
    if (cur && cur.parentNode && cur.parentNode.parentNode) {
      var row = cur.parentNode.parentNode;
      if (row.scrollWidth > row.clientWidth) row.scrollLeft = Math.max(0, cur.offsetLeft - 16);
    }
    var prints = document.querySelectorAll('[data-print]');
    for (var j = 0; j < prints.length; j++) {
      prints[j].hidden = false;
      prints[j].addEventListener('click', function () {
        window.print();
      });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
  else wire();
})();
