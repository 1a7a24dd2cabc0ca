import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import type { SessionReply } from '../lib/api.ts';
import { takeFlows, takeSession } from '../lib/boot.ts';
import { connectLive } from '../lib/live.ts';
import { useEditor } from '../store/editor-store.ts';
import { useShortcuts } from '../hooks/use-shortcuts.ts';
import { Canvas } from './Canvas.tsx';
import { ConflictDialog } from './ConflictDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { LoginPage } from './LoginPage.tsx';
import { Palette } from './Palette.tsx';
import { Sidebar } from './Sidebar.tsx';
import { Tabs } from './Tabs.tsx';
import { Toolbar } from './Toolbar.tsx';

/** The page: a login when the server asks for one, else the editor. */
export function App() {
  const [session, setSession] = useState<SessionReply | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    takeSession().then(setSession, (e: Error) => setError(e.message));
  }, []);

  if (error) return <p className="fatal">topicflow cannot reach its server: {error}</p>;
  if (!session) return <p className="loading">Loading…</p>;
  if (session.authRequired && !session.loggedIn) return <LoginPage onLoggedIn={() => setSession({ ...session, loggedIn: true })} />;
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}

function Editor() {
  // The import dialog, open with the files dropped on the canvas (if any).
  const [importing, setImporting] = useState<{ files?: File[] } | undefined>();
  const loadFromServer = useEditor((s) => s.loadFromServer);
  const [loadError, setLoadError] = useState<string | undefined>();
  useShortcuts();

  useEffect(() => {
    takeFlows().then(
      (reply) => loadFromServer(reply.document, reply.rev, reply.credentials),
      (e: Error) => setLoadError(e.message),
    );
    return connectLive();
  }, [loadFromServer]);

  return (
    <div className="editor">
      <Toolbar onImport={() => setImporting({})} />
      <Palette />
      <main className="workspace">
        <Tabs />
        <Canvas onFilesDropped={(files) => setImporting({ files })} />
        {loadError && <div className="banner error">The flow could not be loaded: {loadError}</div>}
      </main>
      <Sidebar />
      {importing && <ImportDialog files={importing.files} onClose={() => setImporting(undefined)} />}
      <ConflictDialog />
    </div>
  );
}
