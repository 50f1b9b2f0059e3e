/**
 * The portal: sign-in gate, layout and the page for the address. What a page offers follows the session's kind
 * of party and roles; every call is still decided by the API.
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { ErrorBoundary } from './components/error-boundary';
import { Layout } from './components/layout';
import { Loading, Page } from './components/page';
import { ProblemPanel } from './components/problem-panel';
import { useI18n } from './i18n/i18n';
import { ChangePasswordPage } from './pages/change-password.page';
import { SignInPage } from './pages/sign-in.page';
import { Link, match, navigate, useLocation } from './router/router';
import { abilitiesOf, useSessionState, type Session } from './session/session';

// Pages load when first opened: the sign-in page and the shell come first, each role's pages after.
const AccountPage = lazy(() => import('./pages/account.page').then((module) => ({ default: module.AccountPage })));
const PrintDeclarationPage = lazy(() => import('./pages/print.page').then((module) => ({ default: module.PrintDeclarationPage })));
const ReleaseNoticePage = lazy(() => import('./pages/print.page').then((module) => ({ default: module.ReleaseNoticePage })));
const DashboardPage = lazy(() => import('./pages/dashboard.page').then((module) => ({ default: module.DashboardPage })));
const DeclarationPage = lazy(() => import('./pages/declaration.page').then((module) => ({ default: module.DeclarationPage })));
const DraftsPage = lazy(() => import('./pages/drafts.page').then((module) => ({ default: module.DraftsPage })));
const IssueLicencePage = lazy(() => import('./pages/issue-licence.page').then((module) => ({ default: module.IssueLicencePage })));
const LicencePage = lazy(() => import('./pages/licences.page').then((module) => ({ default: module.LicencePage })));
const LicencesPage = lazy(() => import('./pages/licences.page').then((module) => ({ default: module.LicencesPage })));
const SubmissionPage = lazy(() => import('./pages/submission.page').then((module) => ({ default: module.SubmissionPage })));
const SubmissionsPage = lazy(() => import('./pages/submissions.page').then((module) => ({ default: module.SubmissionsPage })));
const TeamPage = lazy(() => import('./pages/team.page').then((module) => ({ default: module.TeamPage })));
const TrackingPage = lazy(() => import('./pages/tracking.page').then((module) => ({ default: module.TrackingPage })));

/** Where a session starts: the page of its daily work. */
export function startPage(session: Session): string {
  const can = abilitiesOf(session);
  return can.decide ? '/worklist' : can.operate ? '/dashboard' : '/submissions';
}

function Redirect({ to }: { readonly to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotHere({ reason }: { readonly reason: 'notFound' | 'notForRole' }) {
  const { t } = useI18n();
  return (
    <Page title={reason === 'notFound' ? t('notFound.title') : t('notForRole.title')}>
      <p>{reason === 'notFound' ? t('notFound.text') : t('notForRole.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}

/** The page for a path, or undefined when no page has that path. */
function pageFor(path: string, query: URLSearchParams, session: Session): ReactNode {
  const can = abilitiesOf(session);
  const only = (allowed: boolean, page: ReactNode) => (allowed ? page : <NotHere reason="notForRole" />);
  if (path === '/') return <Redirect to={startPage(session)} />;
  if (path === '/declarations/new') return only(can.declare, <DeclarationPage docType={query.get('type') ?? undefined} />);
  const draftId = match('/drafts/:id', path)?.id;
  if (draftId !== undefined) return only(can.declare, <DeclarationPage draftId={draftId} />);
  if (path === '/drafts') return only(can.may('draft.read'), <DraftsPage />);
  if (path === '/submissions') return only(!can.decide, <SubmissionsPage worklist={false} />);
  if (path === '/worklist') return only(can.decide, <SubmissionsPage worklist />);
  const printId = match('/submissions/:id/print', path)?.id;
  if (printId !== undefined) return <PrintDeclarationPage key={printId} id={printId} />;
  const noticeId = match('/submissions/:id/release-notice', path)?.id;
  if (noticeId !== undefined) return <ReleaseNoticePage key={noticeId} id={noticeId} />;
  const submissionId = match('/submissions/:id', path)?.id;
  if (submissionId !== undefined) return <SubmissionPage key={submissionId} id={submissionId} />;
  if (path === '/licences') return only(can.may('ledger.read'), <LicencesPage />);
  if (path === '/licences/new') return only(can.may('ledger.issue'), <IssueLicencePage />);
  const licenceNumber = match('/licences/:number', path)?.number;
  if (licenceNumber !== undefined) return <LicencePage key={licenceNumber} number={licenceNumber} />;
  if (path === '/tracking') return only(can.may('tracking.read'), <TrackingPage />);
  if (path === '/dashboard') return only(can.operate, <DashboardPage />);
  if (path === '/team') return only(can.administer, <TeamPage />);
  if (path === '/account') return <AccountPage />;
  return <NotHere reason="notFound" />;
}

function Pages({ session }: { readonly session: Session }) {
  const { path, query } = useLocation();
  // A page that fails to render is replaced by the error panel; moving elsewhere gives the next page a fresh start.
  // A declaration keeps its page when its first save moves it from /declarations/new to /drafts/:id.
  const key = path === '/declarations/new' || path.startsWith('/drafts/') ? 'declaration' : path;
  return (
    <ErrorBoundary key={key}>
      <Suspense fallback={<Loading />}>{pageFor(path, query, session)}</Suspense>
    </ErrorBoundary>
  );
}

export function App() {
  const { t } = useI18n();
  const { state, retry } = useSessionState();
  let content: ReactNode;
  switch (state.status) {
    case 'checking':
      content = <Loading label={t('session.checking')} />;
      break;
    case 'unreachable':
      content = (
        <Page title={t('session.unreachableTitle')}>
          <ProblemPanel error={state.error} context={t('session.unreachable')} onRetry={retry} />
        </Page>
      );
      break;
    case 'signed-out':
      content = <SignInPage ended={state.ended} reason={state.reason} />;
      break;
    case 'password-change':
      content = <ChangePasswordPage user={state.user} />;
      break;
    case 'signed-in':
      content = <Pages session={state.session} />;
      break;
  }
  return <Layout>{content}</Layout>;
}
