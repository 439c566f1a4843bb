// 作って学ぶTransformer: 保存済みのウィジェットを、ネットにつながずに描くための橋渡し。
// embed-amd.js（@jupyter-widgets/html-manager）より前に読み込む。
(function () {
  "use strict";
  // 1. html-manager の CSS が指すフォント（Font Awesome）は、モジュール
  //    "@jupyter-widgets/html-manager/dist/libembed-amd" の URL からの相対で探される。require.js の設定
  //    （require.js より前に置いた window.require）で、そのモジュールの場所を vendor/html-manager/ にする。
  var here = document.currentScript.src;
  var base = here.slice(0, here.lastIndexOf("/") + 1);
  if (typeof window.require === "undefined") {
    window.require = { paths: { "@jupyter-widgets/html-manager/dist": base + "html-manager" } };
  }

  // 2. ipywidgets はラベルの数式を MathJax 2 の API（MathJax.Hub.Queue）で組むが、このサイトの MathJax は 3。
  //    MathJax 3 の typesetPromise へ渡す受け口を置く（MathJax 3 の読み込みで window.MathJax が置き換わるので、
  //    DOMContentLoaded でもう一度置く。それより前に描かれたラベルは MathJax 3 の起動時の組版が拾う）。
  var hub = {
    Queue: function (command) {
      var mj = window.MathJax;
      var element = command && command[2];
      if (mj && mj.startup && mj.startup.promise && mj.typesetPromise) {
        mj.startup.promise.then(function () { return mj.typesetPromise(element ? [element] : undefined); });
      }
    }
  };
  function install() {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = hub;
    }
  }
  install();
  document.addEventListener("DOMContentLoaded", install);
})();
