import { createRoot } from "react-dom/client";
import { StrictMode } from "react";
import { createClients, createTransport } from "./api/clients";
import { ApiProvider } from "./api/context";
import { GatewayStatusProvider } from "./api/gateway-status";
import { HealthProvider, HealthRegistry } from "./api/health";
import { PlatformClockProvider } from "./api/platform-clock";
import { ResourcesProvider } from "./api/resources";
import { SessionStore } from "./api/session";
import { App } from "./app/App";
import { RouterProvider } from "./app/router";
import "./styles.css";

const session = new SessionStore(sessionStorage);
const cleaned = session.adoptFragment(location.hash);
if (cleaned !== location.hash) history.replaceState(null, "", `${location.pathname}${location.search}${cleaned}`);

const clients = createClients(createTransport(location.origin, session));
const root = document.getElementById("root");
if (root === null) throw new Error("no #root element");

createRoot(root).render(
  <StrictMode>
    <ApiProvider clients={clients} session={session}>
      <HealthProvider registry={new HealthRegistry()}>
        <RouterProvider>
          <PlatformClockProvider>
            <GatewayStatusProvider>
              <ResourcesProvider>
                <App />
              </ResourcesProvider>
            </GatewayStatusProvider>
          </PlatformClockProvider>
        </RouterProvider>
      </HealthProvider>
    </ApiProvider>
  </StrictMode>,
);
