import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './components/App.tsx';
import { startBoot } from './lib/boot.ts';

startBoot();
createRoot(document.getElementById('root')!).render(<App />);
