// First: starts the page's requests before the rest of the bundle is evaluated (see boot.ts).
import './lib/boot.ts';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './components/App.tsx';

createRoot(document.getElementById('root')!).render(<App />);
