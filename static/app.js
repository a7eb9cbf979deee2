// The few behaviours the pages have, kept out of the pages themselves: their policy forbids
// inline script. A print button prints; a back link goes back when there is somewhere to go
// back to, and follows its own address (home) otherwise.
document.querySelectorAll('[data-print]').forEach((button) => button.addEventListener('click', () => window.print()));
document.querySelectorAll('[data-back]').forEach((link) => link.addEventListener('click', (event) => {
  if (window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
}));
// A refused form comes back with its problems above it: bring them into view, since the form
// may be far down its page (a phone shows the top, and the problems would go unseen).
const problems = document.querySelector('.notice.bad[role="alert"]');
if (problems) problems.scrollIntoView({ block: 'center' });
