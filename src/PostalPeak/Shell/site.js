// The few buttons every page may have, wired here because the pages carry no inline script (see SecurityHeaders).
document.addEventListener('click', e => {
    const target = e.target.closest('[data-action]');
    if (!target) return;
    if (target.dataset.action === 'print') window.print();
    if (target.dataset.action === 'back') { e.preventDefault(); history.back(); }
});
