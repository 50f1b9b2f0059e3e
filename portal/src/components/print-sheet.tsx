/**
 * What a printed page looks like: the portal's menus, buttons and the raw JSON are left off the paper, cards lose
 * their boxes, table rows are not split across pages. The rules live here, with the pages that print, and are in
 * force only while such a page is open. They are a constructed style sheet (CSSOM), which the portal's CSP
 * (style-src 'self') allows where an inline <style> element would be refused.
 */
import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

const PRINT_CSS = `
@media print {
  .site-header, .site-nav, .site-footer, .skip-link, .no-print, .page-actions, details.raw { display: none !important; }
  html, body { background: #fff !important; color: #000 !important; }
  main, .page { margin: 0 !important; padding: 0 !important; max-width: none !important; }
  .card { box-shadow: none !important; border: 0 !important; padding: 0 !important; margin: 0 0 12pt !important; }
  .printable a { color: inherit; text-decoration: none; }
  .printable table { width: 100%; border-collapse: collapse; }
  .printable th, .printable td { border: 0.5pt solid #666; padding: 2pt 4pt; }
  .printable tr, .printable dl > div { break-inside: avoid; }
  .printable h1 { font-size: 16pt; }
  .printable h2 { font-size: 12pt; margin-top: 10pt; }
}
`;

function usePrintSheet(): void {
  useEffect(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PRINT_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
    };
  }, []);
}

/** A page meant for paper: the print rules while it is open, and a button that prints it. */
export function Printable({ children, back }: { readonly children: ReactNode; readonly back: ReactNode }) {
  const { t } = useI18n();
  usePrintSheet();
  return (
    <div className="printable">
      <div className="actions no-print">
        <button type="button" className="button primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
        {back}
      </div>
      {children}
    </div>
  );
}
