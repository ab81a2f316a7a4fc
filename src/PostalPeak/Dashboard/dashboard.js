// Over Tết the overview stays open on someone's screen: it reloads itself when new figures arrive.
// The page gives the figures' version it shows and how often to ask on this script's own element.
(() => {
    const settings = document.currentScript.dataset;
    const version = settings.version;
    setInterval(async () => {
        if (document.hidden) return;
        try {
            const answer = await fetch('/api/v1/indicators/version');
            if (answer.ok && String((await answer.json()).version) !== version) location.reload();
        } catch { /* offline for a moment: try again next time */ }
    }, Number(settings.refreshSeconds) * 1000);
})();
