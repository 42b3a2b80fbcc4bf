import { render } from 'preact';
import { adoptTokenFromUrl } from './api-client.ts';
import { App } from './app.tsx';
import './styles.css';

adoptTokenFromUrl();
const root = document.getElementById('app');
if (root) render(<App />, root);
