package io.rtcat.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven over WebDriver, with a
 * fresh profile and downloads going straight into a directory. Host candidates stay plain IP addresses (no mDNS
 * names), so two peers inside the test's network namespace can reach each other.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts a browser; skips (or fails with CI=true) when Chromium is not installed. */
    public static HeadlessChromium start(Path profile, Path downloads) throws IOException {
        boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, "chromium and chromium-driver are missing: run scripts/install-deps --test");
        } else {
            Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed");
        }
        Files.createDirectories(downloads);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--disable-features=WebRtcHideLocalIpsWithMdns,InsecureDownloadWarnings",
                "--disable-dev-shm-usage", "--no-first-run");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "download.directory_upgrade", true,
                "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(30)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // Headless Chromium takes the download directory from the DevTools protocol, not only from the prefs.
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toString()));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Waits until the page's body has one of {@code states} (its data-state); returns it. */
    public String awaitState(List<String> states, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = (String) driver.executeScript("return document.body.dataset.state");
            if (states.contains(state)) {
                return state;
            }
            Thread.sleep(200);
        }
        Assertions.fail("page stayed in state " + state + ": " + pageText());
        return null;
    }

    /** Status line and log, for failure messages. */
    public String pageText() {
        try {
            return String.valueOf(driver.executeScript(
                    "return document.getElementById('status').textContent + ' | ' + "
                            + "document.getElementById('log').innerText"));
        } catch (RuntimeException e) {
            return "(page unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
