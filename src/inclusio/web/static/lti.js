// LTI pages: the deep-linking answer goes back to the course platform at once, and the session page goes on
// to the page the launch leads to (without JavaScript, the button and the link do the same).
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) { form.submit(); });
document.querySelectorAll("a[data-autofollow]").forEach(function (link) { window.location.replace(link.href); });
// Dynamic registration done: the platform closes its registration frame (LTI Dynamic Registration 1.0).
if (document.querySelector("[data-lti-close]") && window.parent !== window) {
  window.parent.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
}
