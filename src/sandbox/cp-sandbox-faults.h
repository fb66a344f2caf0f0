/* cp-sandbox-faults.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fault injection for the sandbox platforms: what can go wrong between a
 * connector and a real platform, on demand and reproducibly (seeded).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CP_SANDBOX_FAULTS_ERROR (cp_sandbox_faults_error_quark ())

typedef enum
{
  CP_SANDBOX_FAULTS_ERROR_SPEC,  /* a fault spec string that does not parse */
} CpSandboxFaultsError;

typedef enum
{
  CP_SANDBOX_FAULT_NONE,
  CP_SANDBOX_FAULT_5XX,        /* 500/503 in the platform's error format, nothing applied */
  CP_SANDBOX_FAULT_429,        /* 429 with Retry-After, nothing applied */
  CP_SANDBOX_FAULT_RESET,      /* the request is applied, then the socket closes with no response */
  CP_SANDBOX_FAULT_TRUNCATE,   /* applied; the body is cut short of its Content-Length */
  CP_SANDBOX_FAULT_MALFORMED,  /* applied; the body is not valid JSON */
} CpSandboxFault;

/* Probabilities are in parts per million so that the decision is pure
 * integer arithmetic on the seeded generator: the same seed and the same
 * request order give the same faults on every machine. */
typedef struct
{
  guint32 p_5xx;
  guint32 p_429;
  guint32 p_reset;
  guint32 p_truncate;
  guint32 p_malformed;
  guint   latency_ms;        /* added to every request */
  guint32 p_spike;           /* chance of a latency spike on top */
  guint   spike_ms;
  guint   retry_after_s;     /* Retry-After of an injected 429 */
  guint32 seed;
  gboolean has_seed;
} CpSandboxFaultSpec;

typedef struct
{
  CpSandboxFault fault;
  guint          delay_ms;
} CpSandboxFaultDecision;

typedef struct _CpSandboxFaults CpSandboxFaults;

GQuark            cp_sandbox_faults_error_quark (void);

/* Parses "5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,
 * latency=50ms,spike=0.01:2s,retry_after=2,seed=42". "" and "none" mean no
 * faults. Unknown keys, probabilities outside 0..1 and bad durations are
 * errors that name the offending part. */
gboolean          cp_sandbox_fault_spec_parse   (const char          *text,
                                                 CpSandboxFaultSpec  *out_spec,
                                                 GError             **error);
/* The spec back as a string that cp_sandbox_fault_spec_parse() accepts. */
char             *cp_sandbox_fault_spec_to_string (const CpSandboxFaultSpec *spec);

/* Thread-safe holder of the current spec and its random generator; the
 * server thread draws decisions while a test or the developer panel
 * switches faults on and off from another thread. */
CpSandboxFaults  *cp_sandbox_faults_new         (void);
void              cp_sandbox_faults_free        (CpSandboxFaults          *faults);
void              cp_sandbox_faults_set_spec    (CpSandboxFaults          *faults,
                                                 const CpSandboxFaultSpec *spec);
void              cp_sandbox_faults_get_spec    (CpSandboxFaults          *faults,
                                                 CpSandboxFaultSpec       *out_spec);
gboolean          cp_sandbox_faults_set_from_string (CpSandboxFaults  *faults,
                                                     const char       *text,
                                                     GError          **error);
/* Forces the next N requests to get FAULT whatever the probabilities say,
 * for tests that need one specific failure now. */
void              cp_sandbox_faults_force       (CpSandboxFaults *faults,
                                                 CpSandboxFault   fault,
                                                 guint            n_requests);
CpSandboxFaultDecision cp_sandbox_faults_decide (CpSandboxFaults *faults);

const char       *cp_sandbox_fault_to_string    (CpSandboxFault fault);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSandboxFaults, cp_sandbox_faults_free)

G_END_DECLS
