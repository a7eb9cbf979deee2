// The print button of the printable pages (no inline script: the pages' policy forbids it).
document.querySelectorAll('[data-print]').forEach((button) => button.addEventListener('click', () => window.print()));
