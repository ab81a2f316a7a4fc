// Sends each file to the API and follows its status until the server has finished with it.
(() => {
    const form = document.getElementById('upload-form');
    const input = document.getElementById('files');
    const drop = document.getElementById('drop');
    const body = document.querySelector('#results tbody');
    const label = s => form.dataset['status' + s[0].toUpperCase() + s.slice(1)] || s;
    // A refusal is read in the page's language (the problem's detail); the carrier's upload budget with the wait the server gave.
    const explain = (response, answer) => answer.code === 'rate_limited'
        ? form.dataset.rateLimited.replace('{seconds}', response.headers.get('Retry-After') || '60')
        : answer.detail || answer.title || response.status;
    const cell = (row, text, cls) => { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; };

    async function send(file) {
        const row = body.insertRow(0);
        cell(row, file.name); const status = cell(row, form.dataset.sending);
        const rows = cell(row, '', 'num'), errors = cell(row, '', 'num'), warnings = cell(row, '', 'num'), link = cell(row, '');
        const data = new FormData(); data.append('file', file);
        const carrier = document.getElementById('carrier');
        const url = '/api/v1/uploads' + (carrier ? '?carrier=' + encodeURIComponent(carrier.value) : '');
        const response = await fetch(url, { method: 'POST', body: data, headers: { 'X-CSRF-TOKEN': form.dataset.token } });
        const answer = await response.json();
        if (!response.ok) { status.textContent = explain(response, answer); status.className = 'error'; return; }
        link.innerHTML = `<a href="/uploads/${answer.id}">${form.dataset.detail}</a>`;
        // Followed for an hour at most: a job that keeps failing is for the administrator, not for this tab.
        for (let polls = 0; polls < 3600; polls++) {
            const detail = await (await fetch('/api/v1/uploads/' + answer.id)).json();
            const u = detail.upload;
            status.textContent = label(u.status);
            status.className = ['rejected', 'failed'].includes(u.status) ? 'error' : u.status === 'accepted' ? 'notice' : '';
            // Accepted means read and stored; the dashboard shows the file once the figures have caught up.
            if (u.status === 'accepted') {
                const figures = document.createElement('small');
                figures.className = u.figures_updated_at ? 'figures updated' : 'figures';
                figures.textContent = ' · ' + (u.figures_updated_at ? form.dataset.figuresUpdated : form.dataset.figuresPending);
                status.append(figures);
            }
            rows.textContent = u.rows_total ?? ''; errors.textContent = u.error_count; warnings.textContent = u.warning_count;
            if (['rejected', 'duplicate', 'failed'].includes(u.status) || u.figures_updated_at) break;
            await new Promise(r => setTimeout(r, 1000));
        }
    }
    form.addEventListener('submit', e => { e.preventDefault(); [...input.files].forEach(send); input.value = ''; });
    drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); [...e.dataTransfer.files].forEach(send); });
})();
