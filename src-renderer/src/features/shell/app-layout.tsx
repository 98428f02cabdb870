import { AppShell } from '@mantine/core';
import { useHashRoute } from '../../router/use-hash-route';
import { useAppStore } from '../../store/store-context';
import { AuditView } from '../audit/audit-view';
import { ConnectionsView } from '../connections/connections-view';
import { DashboardView } from '../dashboard/dashboard-view';
import { FindingsView } from '../findings/findings-view';
import { FirstRun } from '../first-run/first-run';
import { SyncView } from '../sync/sync-view';
import { Banners } from './banners';
import { HeaderBar } from './header-bar';
import { MainNav } from './main-nav';

function CurrentView() {
  const view = useAppStore((s) => s.view);
  const empty = useAppStore((s) => s.connectionsStatus === 'ready' && s.connections.length === 0);
  // Until there is a connection, every screen but Connections offers the two ways to get one.
  if (empty && view !== 'connections') return <FirstRun />;
  switch (view) {
    case 'dashboard':
      return <DashboardView />;
    case 'findings':
      return <FindingsView />;
    case 'connections':
      return <ConnectionsView />;
    case 'sync':
      return <SyncView />;
    case 'audit':
      return <AuditView />;
  }
}

export function AppLayout() {
  useHashRoute();
  const view = useAppStore((s) => s.view);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 216, breakpoint: 'xs' }} padding={0}>
      <AppShell.Header>
        <HeaderBar />
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <MainNav />
      </AppShell.Navbar>
      <AppShell.Main className="dl-main">
        <Banners />
        {/* The findings table scrolls inside itself; every other view scrolls as a page. */}
        <div className="dl-view" data-fill={view === 'findings'}>
          <CurrentView />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
