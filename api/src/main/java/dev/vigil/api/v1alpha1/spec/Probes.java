package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** eBPF probes of the host agent. */
/*
 * CEL rules here also run against the CRD's default ({}), before field defaults are filled in, so
 * they treat an absent field as its default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[!has(self.processExec) || self.processExec, !has(self.tcpConnect) || self.tcpConnect,"
            + " !has(self.tcpAccept) || self.tcpAccept, has(self.dns) && self.dns,"
            + " !has(self.resources) || self.resources].exists(p, p)",
    message = "enable at least one probe; to stop the agent delete the HostAgent")
public class Probes {

  @Default("true")
  @JsonPropertyDescription("Process execution (execve): binary, arguments, parent, cgroup.")
  private Boolean processExec;

  @Default("true")
  @JsonPropertyDescription("Outbound TCP connections (connect).")
  private Boolean tcpConnect;

  @Default("true")
  @JsonPropertyDescription("Inbound TCP connections (accept).")
  private Boolean tcpAccept;

  @Default("false")
  @JsonPropertyDescription("DNS queries made by processes (UDP and TCP port 53).")
  private Boolean dns;

  @Default("true")
  @JsonPropertyDescription(
      "Per-process CPU and memory sampling (needed by the silent-miner detector).")
  private Boolean resources;

  public Boolean getProcessExec() {
    return processExec;
  }

  public void setProcessExec(Boolean processExec) {
    this.processExec = processExec;
  }

  public Boolean getTcpConnect() {
    return tcpConnect;
  }

  public void setTcpConnect(Boolean tcpConnect) {
    this.tcpConnect = tcpConnect;
  }

  public Boolean getTcpAccept() {
    return tcpAccept;
  }

  public void setTcpAccept(Boolean tcpAccept) {
    this.tcpAccept = tcpAccept;
  }

  public Boolean getDns() {
    return dns;
  }

  public void setDns(Boolean dns) {
    this.dns = dns;
  }

  public Boolean getResources() {
    return resources;
  }

  public void setResources(Boolean resources) {
    this.resources = resources;
  }
}
