import { startFirstOverview } from './api/first-overview';

// The entry is kept tiny on purpose: it asks for the plugin lists first, then loads the app (React, Mantine and
// the page), so the host's answer arrives while the browser is still parsing the app's code.
startFirstOverview();
void import('./app-root').then(({ mountApp }) => mountApp());
