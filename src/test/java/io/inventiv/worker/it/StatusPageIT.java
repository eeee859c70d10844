package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page at / in a real browser (Debian's headless chromium): it names the model, shows
 * slots busy and live rates under load and free slots after it, and its chat box streams an
 * answer, then its usage.
 */
@ServerTest
class StatusPageIT {
    // 20 ms a token: a load of a few hundred tokens holds the slots for seconds, over several polls.
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8, 1024, false, 20);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    // Generous: the page polls once a second, and CI has two cores shared with the model.
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("(\\d+) completion");

    private static ChromeDriver browser;

    private final URI uri;
    private final RawHttp http;

    StatusPageIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @BeforeAll
    static void startBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
        // Naming the driver keeps Selenium Manager out: it would try to download one, and CI is offline.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void pageNamesTheModelAndKeepsPolling() {
        WebDriverWait wait = openPage();
        assertEquals(TestModels.MODEL_NAME, browser.findElement(By.id("model-name")).getText());
        wait.until(page -> text(page, "poll-status").startsWith("updated"));
        assertEquals(TestModels.ENGINE, text(browser, "engine"));
    }

    @Test
    void loadShowsBusySlotsAndLiveRatesThenFreeSlots() throws Exception {
        WebDriverWait wait = openPage();
        wait.until(page -> slotStates(page).size() == CONFIG.parallel());
        try (ExecutorService clients = Executors.newFixedThreadPool(3)) {
            List<Future<HttpResponse<String>>> load = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String body = "{\"prompt\":\"load number " + i + "\",\"max_tokens\":150,\"ignore_eos\":true,"
                        + "\"stream\":true}";
                load.add(clients.submit(() -> http.post("/v1/completions", body)));
            }
            wait.until(page -> slotStates(page).stream().anyMatch(state -> !state.equals("free")));
            wait.until(page -> text(page, "generation-rate").matches("[0-9.]+")
                    && Double.parseDouble(text(page, "generation-rate")) > 0);
            wait.until(page -> text(page, "itl-now").endsWith(" ms"));
            for (Future<HttpResponse<String>> response : load) {
                assertEquals(200, response.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode());
            }
        }
        wait.until(page -> slotStates(page).size() == CONFIG.parallel()
                && slotStates(page).stream().allMatch(state -> state.equals("free")));
    }

    @Test
    void chatStreamsAnAnswerThenItsUsage() throws Exception {
        WebDriverWait wait = openPage();
        // Counts the browser's separate updates of the answer: more than one means it was drawn as it streamed.
        browser.executeScript("window.answerUpdates = 0; new MutationObserver(() => window.answerUpdates++)"
                + ".observe(document.getElementById('chat-output'), {childList: true, characterData: true, subtree: true});");
        browser.findElement(By.id("chat-input")).sendKeys("Tell me a story about a cat.");
        browser.findElement(By.id("chat-send")).click();
        wait.until(page -> completionTokens(text(page, "chat-usage")) > 0);
        assertEquals("", text(browser, "chat-error"));
        assertFalse(text(browser, "chat-output").isBlank(), "the answer is shown");
        long updates = (Long) browser.executeScript("return window.answerUpdates;");
        assertTrue(updates > 1, "the answer was drawn in " + updates + " update(s)");
        saveScreenshot();
    }

    /** Opens the page and waits for its first poll: the model's name replaces the placeholder. */
    private WebDriverWait openPage() {
        browser.get(uri.resolve("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.until(page -> text(page, "model-name").equals(TestModels.MODEL_NAME));
        return wait;
    }

    private static void saveScreenshot() throws Exception {
        Path file = Path.of("target", "screenshots", "status-page-" + TestModels.ENGINE + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(file) > 0, file + " is empty");
    }

    private static String text(WebDriver page, String id) {
        return page.findElement(By.id(id)).getText();
    }

    /** Every slot row's data-state, read in one script: the page redraws the rows on each poll. */
    @SuppressWarnings("unchecked")
    private static List<String> slotStates(WebDriver page) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(
                "return [...document.querySelectorAll('#slots tr')].map(row => row.dataset.state);");
    }

    private static int completionTokens(String usage) {
        Matcher matcher = COMPLETION_TOKENS.matcher(usage);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
