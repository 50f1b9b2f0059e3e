import type { ReactNode } from 'react';

/** One term and its value in a definition list (`<dl>`); `code` sets the value in the code font. */
export function Fact({ term, code = false, children }: { readonly term: ReactNode; readonly code?: boolean; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={code ? 'code' : undefined}>{children}</dd>
    </div>
  );
}
