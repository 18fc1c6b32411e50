export const DASHBOARD_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; }
header { display: flex; align-items: center; justify-content: space-between; padding: 0.75rem 1.5rem; background: #1f2937; color: #f9fafb; }
h1 { font-size: 1.25rem; margin: 0; }
main { padding: 1rem 1.5rem; max-width: 72rem; }
section { margin-bottom: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #d1d5db; vertical-align: top; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.verdict-ok { color: #15803d; font-weight: 600; }
.verdict-alert { color: #b91c1c; font-weight: 700; }
.verdict-no-baseline { color: #6b7280; }
#error { color: #b91c1c; font-weight: 600; }
.muted { color: #6b7280; font-size: 0.85rem; }
input[type=password] { width: 28rem; max-width: 100%; padding: 0.4rem; }
button { padding: 0.4rem 0.8rem; }
`;
