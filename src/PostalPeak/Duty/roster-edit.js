// Fills the roster table faster: copy the previous day into a row, fill a range of days from one row, add a shift to a day.
// Only fields change; saving is the form's own post, which works without this script.
(() => {
    const form = document.getElementById('roster-edit');
    if (!form) return;
    const body = form.querySelector('tbody');
    const panel = document.getElementById('fill-range');
    const from = document.getElementById('fill-from'), to = document.getElementById('fill-to');
    const error = document.getElementById('fill-error');
    const format = form.dataset.dateFormat || 'dd/MM/yyyy';
    const copied = ['shift', 'leader_name', 'leader_position', 'leader_phone', 'operator_name', 'operator_phone', 'hotline', 'hotline_24h', 'unit_code'];
    let source = null;

    const rows = () => Array.from(body.rows);
    const field = (row, name) => row.querySelector(`[data-field="${name}"]`);
    const shiftOf = row => field(row, 'shift').value.trim().toLowerCase();
    const copy = (from, into) => {
        for (const name of copied) {
            const a = field(from, name), b = field(into, name);
            if (a.type === 'checkbox') b.checked = a.checked; else b.value = a.value;
        }
        into.classList.add('filled');
    };
    // Days are kept as yyyy-MM-dd in the row; a person types dd/MM/yyyy (or the page's own format).
    const shown = iso => format === 'dd/MM/yyyy' ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
    const parse = text => {
        const t = text.trim();
        let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
        if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
        m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
        return m ? t : null;
    };
    const days = () => [...new Set(rows().map(r => r.dataset.date))];
    const rowsOf = date => rows().filter(r => r.dataset.date === date);
    // The row of that day for the same shift, or else the day's first row.
    const counterpart = (date, like) => {
        const same = rowsOf(date);
        return same.find(r => shiftOf(r) === shiftOf(like)) || same[0];
    };

    function copyPrevious(row) {
        const all = days();
        const index = all.indexOf(row.dataset.date);
        if (index <= 0) return;
        const previous = rowsOf(all[index - 1]);
        const position = rowsOf(row.dataset.date).indexOf(row);
        copy(previous[Math.min(position, previous.length - 1)], row);
    }

    function openRange(row) {
        source = row;
        const all = days();
        const index = all.indexOf(row.dataset.date);
        from.value = shown(all[Math.min(index + 1, all.length - 1)]);
        to.value = shown(all[all.length - 1]);
        document.getElementById('fill-source').textContent = row.querySelector('.day').textContent;
        error.hidden = true;
        panel.hidden = false;
        from.focus();
    }

    function applyRange() {
        const a = parse(from.value), b = parse(to.value);
        if (!a || !b || a > b) { error.hidden = false; return; }
        for (const date of days().filter(d => d >= a && d <= b && d !== source.dataset.date))
            copy(source, counterpart(date, source));
        panel.hidden = true;
        source = null;
    }

    // A second shift of the day: a copy of the row with the shift and people left to fill.
    let next = rows().length;
    function addShift(row) {
        const clone = row.cloneNode(true);
        const index = String(next++);
        clone.dataset.row = index;
        clone.classList.remove('has-error', 'filled');
        clone.querySelectorAll('.field-error').forEach(e => e.remove());
        clone.querySelectorAll('input').forEach(input => {
            if (input.name === 'Rows.Index') input.value = index;
            else input.name = input.name.replace(/^Rows\[[^\]]*\]/, `Rows[${index}]`);
            if (input.dataset.field && input.dataset.field !== 'date') {
                if (input.type === 'checkbox') input.checked = false; else input.value = '';
            }
            input.removeAttribute('aria-invalid');
        });
        row.after(clone);
        wire(clone);
        field(clone, 'shift').focus();
    }

    function wire(row) {
        row.querySelectorAll('button[hidden]').forEach(b => { b.hidden = false; });
        row.querySelector('.copy-previous').addEventListener('click', () => copyPrevious(row));
        row.querySelector('.fill-range').addEventListener('click', () => openRange(row));
        row.querySelector('.add-shift').addEventListener('click', () => addShift(row));
    }

    rows().forEach(wire);
    document.getElementById('fill-range-form').addEventListener('submit', e => { e.preventDefault(); applyRange(); });
    document.getElementById('fill-cancel').addEventListener('click', () => { panel.hidden = true; source = null; });
})();
