// Batch normalisation with batch statistics on oneDNN, shared by the CalibraBatchNormTrain pair.
#pragma once

#include "common.h"

namespace calibra {

// x viewed as [n, spatial, c] (NHWC with H·W folded, or [N, C] with spatial 1). Read from the
// call in that order, then epsilon.
struct BatchNormShape {
  int64_t n, spatial, c;
  float epsilon;

  int64_t elems() const { return n * spatial * c; }
  memory::desc data_md() const { return {{n, c, spatial, 1}, dt::f32, tag::nhwc}; }
  memory::desc channel_md() const { return {{c}, dt::f32, tag::x}; }
  std::vector<int64_t> key() const;
};

BatchNormShape read_batch_norm_shape(Args &a);

dnnl::normalization_flags batch_norm_flags();
dnnl::batch_normalization_forward::primitive_desc batch_norm_forward_pd(const BatchNormShape &s,
                                                                        const dnnl::primitive_attr &attr);

}  // namespace calibra
