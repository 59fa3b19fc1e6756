// How the e2e suite and the page benchmarks launch Chromium: Debian's, software compositing, nothing in the background.
export const chromiumLaunch = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
  ],
};
