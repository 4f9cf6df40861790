// The CLI prints the same plain-text tables as the reports.
export { textTable as renderTable } from '../../core/render/text-table.js';
