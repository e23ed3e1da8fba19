package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StratumTest {
  final Stratum stratum = new Stratum();

  int classify(String s, boolean complete) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return stratum.classify(b, b.length, complete);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"cgminer/4.10.0\"]}\n",
        "{\"params\":[\"wallet.worker1\",\"x\"],\"id\":2,\"method\":\"mining.authorize\"}\n",
        "{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w\",\"1\",\"00\",\"5e\",\"ab\"]}\n",
        "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"1\",\"00\",\"01\",[],\"2\"]}\n",
        "{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"],{}]}\n",
        "  {\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"44AFF\","
            + "\"pass\":\"x\",\"agent\":\"XMRig/6.21.0\",\"algo\":[\"rx/0\"]}}\n",
        "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"1\","
            + "\"job_id\":\"7\",\"nonce\":\"deadbeef\",\"result\":\"00\"}}\n",
        "{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"0707\",\"job_id\":\"9\","
            + "\"target\":\"b88d0600\"}}\n",
        "{\"worker\":\"rig1\",\"jsonrpc\":\"2.0\",\"params\":[\"0xabc\",\"x\"],\"id\":1,"
            + "\"method\":\"eth_submitLogin\"}\n",
        "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\",\"params\":[]}\n",
      })
  void miningFirstMessages(String line) {
    assertThat(classify(line, false)).isEqualTo(Stratum.MINING);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Ethereum node RPC
        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}\n",
        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"params\":[\"0x1\",\"latest\"],\"id\":1}\n",
        // LSP: header first
        "Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}",
        // JSON line without mining methods, or a method name only mentioned in a value
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/didOpen\",\"params\":{}}\n",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"log\",\"params\":{\"msg\":\"mining.subscribe\"}}\n",
        // a web API login without mining parameters; submit/job without their fields
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"login\",\"params\":{\"user\":\"bob\"}}\n",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"submit\",\"params\":{\"form\":\"a\"}}\n",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job\",\"params\":{\"name\":\"build\"}}\n",
        // method key inside a nested string / not a string value
        "{\"method\": 5, \"mining.subscribe\": true}\n",
        "GET /mining.subscribe HTTP/1.1\r\n\r\n",
        "{\"result\":\"mining.subscribe\"}\n",
      })
  void ordinaryTrafficDoesNotMatch(String line) {
    assertThat(classify(line, false)).isEqualTo(Stratum.OTHER);
  }

  @org.junit.jupiter.api.Test
  void waitsForTheLineEnd() {
    String half = "{\"id\": 1, \"method\": \"mining.sub";
    assertThat(classify(half, false)).isEqualTo(Stratum.NEED_MORE);
    assertThat(classify(half, true)).isEqualTo(Stratum.OTHER);
    assertThat(classify("", false)).isEqualTo(Stratum.NEED_MORE);
    assertThat(classify("   ", true)).isEqualTo(Stratum.OTHER);
  }

  String login(String lines) {
    byte[] b = lines.getBytes(StandardCharsets.UTF_8);
    return stratum.credentials(b, b.length)
        ? new String(b, stratum.loginStart, stratum.loginEnd - stratum.loginStart)
            + (stratum.workerStart >= 0
                ? "." + new String(b, stratum.workerStart, stratum.workerEnd - stratum.workerStart)
                : "")
        : null;
  }

  String agent() {
    return stratum.agentStart < 0 ? null : "set";
  }

  @org.junit.jupiter.api.Test
  void credentialsOfEachDialect() {
    // Stratum v1: subscribe (agent) then authorize (worker, password)
    assertThat(
            login(
                "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cgminer/4.10.0\"]}\n"
                    + "{\"params\": [ \"bc1qwallet.rig7\", \"x\"],\"id\":2,"
                    + "\"method\":\"mining.authorize\"}\n"))
        .isEqualTo("bc1qwallet.rig7");
    assertThat(agent()).isEqualTo("set");
    // xmrig: login in the first line; "login" as a method value is not the key
    assertThat(
            login(
                "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":"
                    + "\"44AFFq5kSiGBoZ\",\"pass\":\"x\",\"agent\":\"XMRig/6.21.0\"}}\n"))
        .isEqualTo("44AFFq5kSiGBoZ");
    assertThat(agent()).isEqualTo("set");
    // eth proxy: wallet and worker
    assertThat(
            login(
                "{\"worker\":\"rig1\",\"jsonrpc\":\"2.0\",\"params\":[\"0xabc\",\"x\"],"
                    + "\"id\":1,\"method\":\"eth_submitLogin\"}\n"))
        .isEqualTo("0xabc.rig1");
  }

  @org.junit.jupiter.api.Test
  void noCredentialsUntilTheirLineIsComplete() {
    String sub = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n";
    assertThat(login(sub)).isNull();
    assertThat(login(sub + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"w")).isNull();
    assertThat(login(sub + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[]}\n")).isNull();
    assertThat(login("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[5]}\n")).isNull();
  }
}
